// What integration tests use to look at the platform from outside: the public API with real JWTs, the
// Kafka topic through Kafka's own console consumer, Redis through redis-cli, daprd's metrics endpoint.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NotificationPage, type Notification } from '@todo/contracts';
import { inject } from 'vitest';
import { signDevToken } from '../../tools/launcher/token.ts';
import { ROOT } from './platform.ts';
import { OpenApiValidator } from './openapi.ts';

const run = promisify(execFile);
export const platform = () => inject('platform');

export async function tokenFor(userId: string, options: { admin?: boolean } = {}) {
  return signDevToken(platform().secrets.jwtSigningKey, userId, options);
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A call to the gateway. `token: null` sends no Authorization header. */
export async function api<T = any>(
  method: string,
  urlPath: string,
  options: { user?: string; token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? await tokenFor(options.user ?? 'alice') : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${platform().gatewayUrl}${urlPath}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  // Every answer the suite sees must be one the OpenAPI document promises (tests/support/openapi.ts).
  const problems = (await documentValidator()).check(method, urlPath, res.status, res.headers.get('content-type'), parsed);
  if (problems.length) throw new Error(`the gateway answered outside its OpenAPI document:\n  ${problems.join('\n  ')}`);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

let validator: Promise<OpenApiValidator> | undefined;
/** The document as the running gateway serves it (GET /api/openapi.json), once per test file. */
export function documentValidator(): Promise<OpenApiValidator> {
  validator ??= fetch(`${platform().gatewayUrl}/api/openapi.json`).then(async (res) => {
    if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return new OpenApiValidator((await res.json()) as ConstructorParameters<typeof OpenApiValidator>[0]);
  });
  return validator;
}

export interface TopicRecord {
  key: string | null;
  partition: number;
  value: string;
}

/**
 * Brokers whose topics a test can read back without Dapr: Kafka (its console consumer) and Redis
 * Streams (redis-cli XRANGE). RabbitMQ exchanges and MQTT topics keep nothing to read afterwards.
 */
export const canReadTopic = () => platform().broker === 'kafka' || platform().broker === 'redis';

/**
 * Reads a topic from the beginning with the broker's own tools, until `until` is satisfied or the
 * timeout passes. Independent of Dapr: proof the message is on the broker.
 */
export async function readTopic(topic: string, options: { timeoutMs?: number; until?: (records: TopicRecord[]) => boolean } = {}): Promise<TopicRecord[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const read = platform().broker === 'redis' ? readStream : platform().broker === 'kafka' ? readKafkaTopic : undefined;
  if (!read) throw new Error(`no independent reader for ${platform().broker} topics (see canReadTopic)`);
  let records: TopicRecord[] = [];
  while (Date.now() < deadline) {
    records = await read(topic);
    if (!options.until || options.until(records)) return records;
    await new Promise((r) => setTimeout(r, 250));
  }
  return records;
}

/** A Redis stream as Dapr's pubsub.redis writes it: one entry per message, the event in field `data`. */
async function readStream(topic: string): Promise<TopicRecord[]> {
  const { stdout } = await run('redis-cli', ['-p', String(platform().brokerPort), '--raw', 'XRANGE', topic, '-', '+'], { maxBuffer: 64 * 1024 * 1024 });
  const lines = stdout.split('\n');
  return lines.flatMap((line, i) => (line === 'data' && lines[i + 1] ? [{ partition: 0, key: null, value: lines[i + 1]! }] : []));
}

/**
 * Runs one of Kafka's own command-line tools (from the broker's jars) against the test broker and
 * returns its stdout. Some exit non-zero when they stop on a timeout; their output still counts.
 */
async function kafkaTool(mainClass: string, args: string[]): Promise<string> {
  const { kafkaBootstrap, kafkaLibs } = platform();
  const { stdout } = await run(
    'java',
    ['-cp', `${kafkaLibs}/*`, `-Dlog4j.configuration=file:${path.join(ROOT, 'tools/kafka/log4j.properties')}`, mainClass, '--bootstrap-server', kafkaBootstrap, ...args],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return stdout;
}

async function readKafkaTopic(topic: string): Promise<TopicRecord[]> {
  const stdout = await kafkaTool('org.apache.kafka.tools.consumer.ConsoleConsumer', [
    '--topic', topic,
    '--from-beginning',
    '--timeout-ms', '4000',
    '--property', 'print.key=true',
    '--property', 'print.partition=true',
    '--property', 'key.separator=\t',
  ]);
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('Partition:'))
    .map((line) => {
      const [partition, key, ...value] = line.split('\t');
      return { partition: Number(partition?.replace('Partition:', '')), key: key === 'null' ? null : (key ?? null), value: value.join('\t') };
    });
}

/** A Redis hash field as daprd's state.redis stores it (`data`, `version`). */
export async function redisHash(key: string): Promise<Record<string, string>> {
  const { stdout } = await run('redis-cli', ['-p', String(platform().redisPort), '--raw', 'HGETALL', key]);
  const lines = stdout.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) hash[lines[i]!] = lines[i + 1]!;
  return hash;
}

/** Seconds until a state-store key expires (-1: no TTL, -2: no such key), as Redis reports it. */
export async function redisTtl(key: string): Promise<number> {
  const { stdout } = await run('redis-cli', ['-p', String(platform().redisPort), 'TTL', key]);
  return Number(stdout.trim());
}

/**
 * How long a probe of the notification feed waits: delivery takes a second or two, but the gateway's
 * breaker for notification-service stays open 15 s after it was unreachable (the dashboard test stops
 * it; packages/dapr/src/resilient-invoker.ts), and the gateway answers 503 meanwhile.
 */
export const FEED_WAIT_MS = 30_000;

/**
 * A user's notification feed, checked against the published contract; undefined while the gateway
 * answers 503 (see FEED_WAIT_MS), which is "not yet" for a probe. Any other non-200 throws.
 */
export async function notificationsOf(user: string): Promise<Notification[] | undefined> {
  const res = await api('GET', '/api/notifications', { user });
  if (res.status === 503) return undefined;
  if (res.status !== 200) throw new Error(`GET /api/notifications for ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return NotificationPage.parse(res.body).items;
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sum of a Prometheus counter on an app's daprd metrics endpoint, filtered by labels. */
export async function daprMetric(appId: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const app = platform().apps[appId];
  if (!app) throw new Error(`unknown app ${appId}`);
  const text = await (await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

/**
 * Sum of a series on an app's own /metrics (the service's prom-client registry, not its daprd's),
 * filtered by labels (exact values).
 */
export async function appMetric(appId: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const app = platform().apps[appId];
  if (!app) throw new Error(`unknown app ${appId}`);
  const res = await fetch(`http://127.0.0.1:${app.appPort}/metrics`);
  if (!res.ok) throw new Error(`${appId} /metrics answered ${res.status}`);
  let total = 0;
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

/** Stops an app of the platform (its app process, its daprd, or both) through the control server. */
export async function stopApp(appId: string, options: { signal?: 'SIGTERM' | 'SIGKILL'; what?: 'app' | 'daprd' | 'both' } = {}) {
  const q = new URLSearchParams({ signal: options.signal ?? 'SIGTERM', what: options.what ?? 'both' });
  const res = await fetch(`${platform().controlUrl}/apps/${encodeURIComponent(appId)}/stop?${q}`, { method: 'POST' });
  if (!res.ok) throw new Error(`stop ${appId}: ${await res.text()}`);
}

/** Starts what is not running of an app's pair again (same ports) and waits until it is ready. */
export async function startApp(appId: string) {
  const res = await fetch(`${platform().controlUrl}/apps/${encodeURIComponent(appId)}/start`, { method: 'POST' });
  if (!res.ok) throw new Error(`start ${appId}: ${await res.text()}`);
}

/** What notification-service's webhook binding has POSTed so far. */
export async function webhookReceived(): Promise<Array<Record<string, unknown>>> {
  return (await fetch(`${platform().controlUrl}/webhook`)).json() as Promise<Array<Record<string, unknown>>>;
}

/** Restarts the pub/sub broker or the state store's Redis in place (same data), down for `downSeconds`, waiting until it answers again. */
export async function restartInfra(what: 'broker' | 'redis', downSeconds = 0) {
  const res = await fetch(`${platform().controlUrl}/infra/${what}/restart?downSeconds=${downSeconds}`, { method: 'POST' });
  if (!res.ok) throw new Error(`restart ${what}: ${await res.text()}`);
}

/** Calls an app directly (not through daprd), with the sidecar's app token: the fault hooks live there. */
export async function appCall(appId: string, method: string, path: string, body?: unknown) {
  const app = platform().apps[appId];
  if (!app) throw new Error(`unknown app ${appId}`);
  const res = await fetch(`http://127.0.0.1:${app.appPort}${path}`, {
    method,
    headers: { 'dapr-api-token': platform().secrets.appApiToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

async function describeGroups(): Promise<Map<string, { group: string; offset: string; lag: number; member: string }>> {
  const stdout = await kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--describe', '--all-groups']);
  const rows = new Map<string, { group: string; offset: string; lag: number; member: string }>();
  for (const line of stdout.split('\n')) {
    const [group, topic, partition, offset, , lag, member] = line.trim().split(/\s+/);
    if (!group || group === 'GROUP' || !topic) continue;
    rows.set(`${group} ${topic} ${partition}`, { group, offset: offset ?? '-', lag: Number(lag), member: member ?? '-' });
  }
  return rows;
}

export interface GroupPartition {
  topic: string;
  partition: number;
  /** Committed offset; undefined when the group has committed nothing on this partition yet. */
  committed?: number;
  logEnd: number;
  /** Kafka's own LAG column (undefined when it prints "-"). */
  lag?: number;
  member: string;
}

/** One consumer group as Kafka's ConsumerGroupCommand describes it (offsets, lag, member per partition). */
export async function describeGroup(group: string): Promise<GroupPartition[]> {
  const stdout = await kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--describe', '--group', group]);
  const rows: GroupPartition[] = [];
  for (const line of stdout.split('\n')) {
    const [g, topic, partition, offset, logEnd, lag, member] = line.trim().split(/\s+/);
    if (g !== group || !topic || !/^\d+$/.test(partition ?? '')) continue;
    const n = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
    rows.push({ topic, partition: Number(partition), committed: n(offset), logEnd: n(logEnd) ?? 0, lag: n(lag), member: member ?? '-' });
  }
  if (rows.length === 0) throw new Error(`ConsumerGroupCommand printed no partitions for group ${group}:\n${stdout.slice(0, 500)}`);
  return rows;
}

/** Sum of every pub/sub delivery counter on every sidecar: it moves whenever any subscriber handles anything. */
async function deliveriesSoFar(): Promise<number> {
  let total = 0;
  for (const appId of Object.keys(platform().apps)) total += await daprMetric(appId, 'dapr_component_pubsub_ingress_count').catch(() => 0);
  return total;
}

/** Consumer-group backlog as the broker itself reports it (Kafka, Redis Streams); undefined where it cannot tell. */
async function brokerBacklog(): Promise<number | undefined> {
  if (platform().broker === 'kafka') {
    return [...(await describeGroups()).values()].reduce((sum, row) => sum + (Number.isFinite(row.lag) ? row.lag : 0), 0);
  }
  if (platform().broker === 'redis') {
    let backlog = 0;
    const { stdout: keys } = await run('redis-cli', ['-p', String(platform().brokerPort), '--raw', 'KEYS', '*']);
    for (const stream of keys.split('\n').filter(Boolean)) {
      const { stdout } = await run('redis-cli', ['-p', String(platform().brokerPort), '--raw', 'XINFO', 'GROUPS', stream]).catch(() => ({ stdout: '' }));
      const lines = stdout.split('\n');
      for (let i = 0; i < lines.length; i++) if (lines[i] === 'pending' || lines[i] === 'lag') backlog += Number(lines[i + 1]) || 0;
    }
    return backlog;
  }
  return undefined;
}

/**
 * Waits until the subscribers have handled everything published so far — the condition a test needs
 * before it can say "exactly one" and mean it: the broker reports no backlog for any consumer group
 * (Kafka, Redis Streams), and no sidecar's delivery counter moves between two reads a second apart
 * (every broker; on RabbitMQ and MQTT it is the only signal there is).
 */
export async function settled(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await deliveriesSoFar();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await deliveriesSoFar();
    if (now === last && ((await brokerBacklog()) ?? 0) === 0 && (await deliveriesSoFar()) === now) return;
    if (Date.now() > deadline) throw new Error(`subscribers still busy after ${timeoutMs} ms`);
    last = now;
  }
}

export interface ReminderRecord {
  status: 'scheduled' | 'claimed' | 'sent' | 'cancelled';
  remindAt: string | null;
}

/** A reminder record as reminder-service stores it (its status tells whether it can still be sent). */
export async function reminderRecord(taskId: string): Promise<ReminderRecord | undefined> {
  return (await reminderRecords([taskId]))[0];
}

/** Many reminder records in one round trip to Redis (a Lua script reading each hash's `data`). */
export async function reminderRecords(taskIds: string[]): Promise<Array<ReminderRecord | undefined>> {
  if (taskIds.length === 0) return [];
  const script = "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('HGET', k, 'data') or '' end return r";
  const keys = taskIds.map((id) => `reminder-service||reminder:${id}`);
  const { stdout } = await run('redis-cli', ['-p', String(platform().redisPort), '--raw', 'EVAL', script, String(keys.length), ...keys], { maxBuffer: 64 * 1024 * 1024 });
  const lines = stdout.split('\n');
  return taskIds.map((_, i) => (lines[i] ? (JSON.parse(lines[i]!) as ReminderRecord) : undefined));
}

/**
 * Consumer groups where a partition has lag and makes no progress over `windowMs`: a Dapr Kafka
 * subscriber that stopped consuming without an error, either the whole group (no member left) or single
 * partitions of a live member — both seen after a broker restart (components-contrib#4349).
 */
export async function stalledConsumerGroups(windowMs = 15_000): Promise<string[]> {
  const before = await describeGroups();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = await describeGroups();
  const stalled = new Set<string>();
  for (const [key, row] of after) {
    if (!(row.lag > 0)) continue;
    if (row.member === '-' || before.get(key)?.offset === row.offset) stalled.add(row.group);
  }
  return [...stalled];
}

/** Consumers and unacknowledged messages per RabbitMQ queue, as rabbitmqctl reports them. */
export async function rabbitQueues(): Promise<Array<{ name: string; consumers: number; unacked: number }>> {
  const { stdout } = await run('bash', [path.join(ROOT, 'scripts/brokers.sh'), 'ctl', 'rabbitmq', 'list_queues', '-q', '--no-table-headers', 'name', 'consumers', 'messages_unacknowledged'], {
    env: { ...process.env, RUN_DIR: platform().runDir, RABBITMQ_PORT: String(platform().brokerPort) },
  });
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [name, consumers, unacked] = line.trim().split(/\s+/);
    return { name: name!, consumers: Number(consumers), unacked: Number(unacked) };
  });
}

/**
 * Publishes straight onto `task-events` (or `topic`, e.g. its dead-letter twin) through task-service's
 * sidecar, bypassing the producer's validation on purpose (poison events, old schema versions). Returns daprd's status (204 = accepted).
 * With `partitionKey`, everything published with it lands on one partition, in order.
 */
export async function publishTaskEventRaw(event: object, options: { partitionKey?: string; topic?: string } = {}): Promise<number> {
  const { daprHttpPort } = platform().apps['task-service']!;
  const query = options.partitionKey ? `?metadata.partitionKey=${encodeURIComponent(options.partitionKey)}` : '';
  const topic = encodeURIComponent(options.topic ?? 'task-events');
  const res = await fetch(`http://127.0.0.1:${daprHttpPort}/v1.0/publish/pubsub/${topic}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'dapr-api-token': platform().secrets.daprApiToken },
    body: JSON.stringify(event),
  });
  return res.status;
}
