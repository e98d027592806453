import { CommunicationProtocolEnum, DaprClient, LogLevel, StateConcurrencyEnum, type LoggerService } from '@dapr/dapr';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { TOPIC_CONTRACTS, type Topic, type TopicEvent } from '@todo/contracts';
import {
  DependencyTimeoutError,
  EtagMismatchError,
  InvalidEventError,
  SidecarError,
  StoredDataError,
  type EventBus,
  type InvokeRequest,
  type InvokeResponse,
  type OutboxStateStore,
  type OutputBinding,
  type SecretReader,
  type ServiceInvoker,
  type Sidecar,
  type StateOperation,
  type Versioned,
  type WriteOptions,
} from './ports.ts';
import { DEFAULT_BREAKER, resilientInvoker, type BreakerOptions } from './resilient-invoker.ts';
import { eventTypeOf, noPublishMetrics, publishMetrics, type PublishVia } from './metrics.ts';
import { traceHeaders } from './trace-context.ts';
import type { Registry } from 'prom-client';

export interface DaprAdapterOptions {
  httpPort: number;
  apiToken?: string | undefined;
  pubsubName: string;
  stateStoreName: string;
  secretStoreName: string;
  /** The topic the state store's outbox publishes to (its `outboxPublishTopic`), when it has one. */
  outboxTopic?: Topic | undefined;
  /** An invocation that has not answered after this long fails with DependencyTimeoutError. */
  invokeTimeoutMs?: number;
  /** The per-target circuit breaker of service invocation (resilient-invoker.ts). */
  breaker?: BreakerOptions;
  logger: Logger;
  /** The app's own Prometheus registry: the adapter adds `todo_events_published_total` to it. */
  metricsRegistry?: Registry | undefined;
}

/**
 * Slightly longer than the 10 s invocation timeout of the Resiliency policies, so daprd's own timeout
 * normally answers first (and counts for its circuit breaker); this one guards against a hung sidecar.
 */
export const DEFAULT_INVOKE_TIMEOUT_MS = 11_000;

export interface DaprAdapter {
  events: EventBus;
  state: OutboxStateStore;
  invoker: ServiceInvoker;
  secrets: SecretReader;
  bindings: OutputBinding;
  sidecar: Sidecar;
}

/**
 * Routes the SDK's own log lines into our pino logger (the SDK would otherwise use console). Its
 * "errors" are the failures it hands back to us (an etag conflict, a failed publish), which the adapter
 * throws and the caller handles or logs; logging them as errors here too would only be noise.
 */
function sdkLogger(logger: Logger): LoggerService {
  const child = logger.child({ component: 'dapr-sdk' });
  return {
    error: (msg, ...rest) => child.debug({ rest }, String(msg)),
    warn: (msg, ...rest) => child.warn({ rest }, String(msg)),
    info: (msg, ...rest) => child.info({ rest }, String(msg)),
    verbose: (msg, ...rest) => child.debug({ rest }, String(msg)),
    debug: (msg, ...rest) => child.debug({ rest }, String(msg)),
  };
}

/** The SDK reports HTTP failures as Error(JSON.stringify({error, error_msg, status})). */
function statusOf(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  try {
    const parsed = JSON.parse(err.message) as { status?: unknown };
    return typeof parsed.status === 'number' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Dapr answers an etag conflict on save and delete with 409. A transaction whose etag check failed in
 * the Redis store comes back as 500 ERR_STATE_TRANSACTION with the store's script error, measured:
 * "error while executing state transaction: ERR user_script:14: failed to set key <key> script: …"
 * (the other operations applied anyway — the ports contract pins both). The etag check is the only
 * failure those scripts report, so that message is read as the conflict it is.
 */
function rethrow(err: unknown, what: string, key?: string): never {
  const status = statusOf(err);
  const etagConflict = status === 409 || (err instanceof Error && /ERR_STATE_TRANSACTION.*failed to (set|delete) key/.test(err.message));
  if (etagConflict && key !== undefined) throw new EtagMismatchError(key, { cause: err });
  throw new SidecarError(`${what} failed`, { status, cause: err });
}

/** Parses one stored value with the caller's schema; a mismatch is never cast through. */
function parseStored<T>(key: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDataError(key, { cause: parsed.error });
  return parsed.data;
}

/** daprd's own invocation failures (no such app, app down, circuit open, timeout) carry an ERR_ code. */
function daprdFailure(appId: string, status: number, body: unknown): Error | undefined {
  const b = body as { errorCode?: unknown; message?: unknown } | undefined;
  if (status < 500 || typeof b?.errorCode !== 'string' || !b.errorCode.startsWith('ERR_')) return undefined;
  const message = typeof b.message === 'string' ? b.message : b.errorCode;
  if (/deadline exceeded|timed? ?out/i.test(message)) return new DependencyTimeoutError(`invoke ${appId}`, 0, { cause: message });
  return new SidecarError(`invoke ${appId}: ${message}`, { status });
}

/**
 * The one place that talks to the sidecar. State, pub/sub and secrets go through the SDK's DaprClient,
 * wrapped so that its `{error}` results become thrown errors (the SDK returns them instead of throwing).
 * Invocation uses fetch against the sidecar's invoke API, because the SDK's invoker drops the response
 * status and headers, and the gateway must pass 201/204/404/412 and `Location` through unchanged.
 * Everything read from the network is parsed (state with the caller's schema, events with the topic's
 * contract); nothing is cast.
 */
export function createDaprAdapter(options: DaprAdapterOptions): DaprAdapter {
  const { httpPort, apiToken, pubsubName, stateStoreName, secretStoreName, logger } = options;
  const invokeTimeoutMs = options.invokeTimeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
  const client = new DaprClient({
    daprHost: '127.0.0.1',
    daprPort: String(httpPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(apiToken ? { daprApiToken: apiToken } : {}),
    logger: { level: LogLevel.Warn, service: sdkLogger(logger) },
  });
  propagateTraceContext(client, logger);
  const base = `http://127.0.0.1:${httpPort}/v1.0`;
  const tokenHeader: Record<string, string> = apiToken ? { 'dapr-api-token': apiToken } : {};
  const metrics = options.metricsRegistry ? publishMetrics(options.metricsRegistry) : noPublishMetrics;

  const send = async (topic: string, event: unknown, via: PublishVia, partitionKey?: string) => {
    const result = await client.pubsub.publish(pubsubName, topic, event as object, {
      contentType: 'application/json',
      ...(partitionKey ? { metadata: { partitionKey } } : {}),
    });
    metrics.published(topic, eventTypeOf(event), via, result.error ? 'error' : 'success');
    if (result.error) rethrow(result.error, `publish to ${topic}`);
  };

  const events: EventBus = {
    async publish<T extends Topic>(topic: T, event: TopicEvent<T>, publishOptions: { partitionKey?: string } = {}) {
      const parsed = TOPIC_CONTRACTS[topic].publishes.safeParse(event);
      if (!parsed.success) throw new InvalidEventError(topic, { cause: parsed.error });
      await send(topic, parsed.data, 'direct', publishOptions.partitionKey);
    },
    async republish(topic, data) {
      // Unchanged on purpose (the event keeps its id); only checked that consumers can read it.
      if (!TOPIC_CONTRACTS[topic].accepts.safeParse(data).success) throw new InvalidEventError(topic);
      await send(topic, data, 'replay');
    },
  };

  const toDaprOperation = (o: StateOperation) =>
    o.op === 'upsert'
      ? { operation: 'upsert', request: { key: o.key, value: o.value, ...(o.etag ? { etag: o.etag } : {}), ...ttlMetadata(o) } }
      : { operation: 'delete', request: { key: o.key, ...(o.etag ? { etag: o.etag } : {}) } };

  const runTransaction = async (operations: Array<ReturnType<typeof toDaprOperation> | object>, keys: string) => {
    try {
      await client.state.transaction(stateStoreName, operations as Parameters<typeof client.state.transaction>[1]);
    } catch (err) {
      rethrow(err, 'state transaction', keys);
    }
  };

  // Etags go over the HTTP API as plain strings (the SDK's `{value}` etag type is for gRPC).
  const state: OutboxStateStore = {
    async get<T>(key: string, schema: z.ZodType<T>) {
      return (await state.getMany(key === '' ? [] : [key], schema)).get(key);
    },
    async getMany<T>(keys: string[], schema: z.ZodType<T>) {
      const found = new Map<string, Versioned<T>>();
      if (keys.length === 0) return found;
      // getBulk, not get: the SDK's get() returns the value without its etag.
      const items = (await client.state.getBulk(stateStoreName, [...new Set(keys)]).catch((err) => rethrow(err, 'state get'))) as unknown;
      if (!Array.isArray(items)) throw new SidecarError('state get: unexpected answer from the sidecar');
      for (const item of items as Array<{ key?: unknown; data?: unknown; etag?: unknown }>) {
        if (typeof item.key !== 'string' || item.data === undefined || item.data === null || item.data === '') continue;
        found.set(item.key, { value: parseStored(item.key, item.data, schema), etag: typeof item.etag === 'string' ? item.etag : '' });
      }
      return found;
    },
    async save(key, value, saveOptions = {}) {
      const result = await client.state.save(stateStoreName, [
        { key, value, ...(saveOptions.etag ? { etag: saveOptions.etag } : {}), ...ttlMetadata(saveOptions) },
      ] as Parameters<typeof client.state.save>[1]);
      if (result.error) rethrow(result.error, `state save ${key}`, key);
    },
    async claim(key, value, claimOptions = {}) {
      const result = await client.state.save(stateStoreName, [
        { key, value, options: { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE }, ...ttlMetadata(claimOptions) },
      ] as Parameters<typeof client.state.save>[1]);
      if (!result.error) return true;
      // A first-write conflict and an outage both come back as errors (the Redis store reports the
      // conflict as a generic 500 when no etag is given): tell them apart by looking at the key.
      if (await existing(key)) return false;
      rethrow(result.error, `state claim ${key}`);
    },
    async delete(key, deleteOptions = {}) {
      const result = await client.state.delete(stateStoreName, key, (deleteOptions.etag ? { etag: deleteOptions.etag } : undefined) as Parameters<typeof client.state.delete>[2]);
      if (result.error) rethrow(result.error, `state delete ${key}`, key);
    },
    async transact(operations) {
      await runTransaction(operations.map(toDaprOperation), operations.map((o) => o.key).join(','));
    },
    async commitWithEvent(operations, projectionKey, event) {
      const topic = options.outboxTopic;
      if (!topic) throw new Error(`state store ${stateStoreName} has no outbox topic configured`);
      if (!operations.some((o) => o.op === 'upsert' && o.key === projectionKey)) throw new Error(`projection key ${projectionKey} is not upserted`);
      const parsed = TOPIC_CONTRACTS[topic].publishes.safeParse(event);
      if (!parsed.success) throw new InvalidEventError(topic, { cause: parsed.error });
      // Dapr's outbox: an upsert of the same key with `outbox.projection` is published instead of the
      // stored value, and never stored itself.
      const projection = { operation: 'upsert', request: { key: projectionKey, value: parsed.data, metadata: { 'outbox.projection': 'true', contentType: 'application/json' } } };
      try {
        await runTransaction([...operations.map(toDaprOperation), projection], operations.map((o) => o.key).join(','));
      } catch (err) {
        metrics.published(topic, eventTypeOf(parsed.data), 'outbox', 'error');
        throw err;
      }
      // Committed: daprd's outbox forwards it to the topic (after its marker check).
      metrics.published(topic, eventTypeOf(parsed.data), 'outbox', 'success');
    },
  };

  /** Whether a key holds anything, whatever its shape (a claim's loser does not need to read the value). */
  const existing = async (key: string) => {
    const items = (await client.state.getBulk(stateStoreName, [key]).catch(() => [])) as Array<{ data?: unknown }>;
    return items.some((i) => i.data !== undefined && i.data !== null && i.data !== '');
  };

  const sidecarInvoker: ServiceInvoker = {
    async invoke(appId: string, request: InvokeRequest): Promise<InvokeResponse> {
      const headers: Record<string, string> = { ...tokenHeader, ...traceHeaders(), ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      const timeoutMs = request.timeoutMs ?? invokeTimeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}/invoke/${appId}/method/${request.path}`, { method: request.method, headers, body, signal });
        text = await res.text();
      } catch (err) {
        if (timeout.aborted) throw new DependencyTimeoutError(`invoke ${appId}`, timeoutMs, { cause: err });
        if (request.signal?.aborted) throw err; // the caller cancelled: not a failure of anyone
        throw new SidecarError(`invoke ${appId}: sidecar unreachable`, { cause: err });
      }
      const isJson = /json/.test(res.headers.get('content-type') ?? '');
      let parsed: unknown = text === '' ? undefined : text;
      if (isJson && text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const failure = daprdFailure(appId, res.status, parsed);
      if (failure) throw failure;
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };

  const secrets: SecretReader = {
    async get(name) {
      const result = (await client.secret.get(secretStoreName, name).catch((err) => rethrow(err, `secret ${name}`))) as unknown;
      const value = (result as Record<string, unknown> | undefined)?.[name];
      if (typeof value !== 'string' || value === '') throw new SidecarError(`secret ${name} is empty`);
      return value;
    },
  };

  const bindings: OutputBinding = {
    async invoke(name, operation, data, metadata = {}) {
      // The SDK's binding.send throws on failure (unlike publish/save), so no {error} check here.
      await client.binding.send(name, operation, data, metadata).catch((err) => rethrow(err, `binding ${name}`));
    },
  };

  const sidecar: Sidecar = {
    async isReady() {
      try {
        const res = await fetch(`${base}/healthz/outbound`, { headers: tokenHeader, signal: AbortSignal.timeout(2_000) });
        return res.ok;
      } catch {
        return false;
      }
    },
  };

  const invoker = resilientInvoker(sidecarInvoker, logger, options.breaker ?? DEFAULT_BREAKER);
  return { events, state, invoker, secrets, bindings, sidecar };
}

/**
 * The SDK's HTTP client takes no per-call headers, so its one request function is wrapped to add the
 * current trace context (trace-context.ts) to every state, publish, binding and secret call. When a
 * future SDK moves that function, calls still work, untraced, and this says so once.
 */
function propagateTraceContext(client: DaprClient, logger: Logger): void {
  type Execute = (url: string, params?: { headers?: Record<string, string> } & Record<string, unknown>, ...rest: unknown[]) => Promise<unknown>;
  const http = (client as unknown as { daprClient?: { execute?: Execute } }).daprClient;
  const execute = http?.execute;
  if (!http || typeof execute !== 'function') {
    logger.warn('the Dapr SDK has no HTTP execute function to wrap: sidecar calls will not carry trace context');
    return;
  }
  http.execute = function (url, params, ...rest) {
    const headers = traceHeaders();
    if (!headers.traceparent) return execute.call(this, url, params, ...rest);
    // The SDK derives the method from `params` when there are none (GET, or POST with a body).
    const method = params?.method ?? (params?.body ? 'POST' : 'GET');
    return execute.call(this, url, { ...params, method, headers: { ...headers, ...params?.headers } }, ...rest);
  };
}

/** Dapr's per-item TTL: metadata `ttlInSeconds` (Redis sets it with EXPIRE in the same script). */
function ttlMetadata(options: WriteOptions): { metadata?: Record<string, string> } {
  return options.ttlSeconds ? { metadata: { ttlInSeconds: String(options.ttlSeconds) } } : {};
}
