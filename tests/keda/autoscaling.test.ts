// Autoscaling on consumer lag, for real (make test-keda): the chart installed with autoscaling on, on a
// loopback control plane with kube-controller-manager (HPA) and KEDA's operator and metrics adapter; its
// ScaledObject reads the lag of the consumer group notification-service from the very Kafka that the
// platform's daprd sidecars consume from. notification-service is frozen, then slowed, with its fault hooks
// while tasks are created through the public API; the test watches lag → KEDA metric → HPA → spec.replicas.
//
// No kubelet runs: the Deployment's pods stay Pending. The consumer is the harness's own
// notification-service with its daprd; what this proves is the control loop, not more consumers.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiException, AppsV1Api, AutoscalingV2Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { api, appCall, describeGroup, platform, type GroupPartition } from '../support/clients.ts';
import { deleteNamespace, hasCluster, helm, install, ROOT } from '../k8s/support/k8s.ts';
import { externalMetric } from '../../tools/k8s-status/collect.ts';
import { Sampler, type Reading, type Sample } from './support/timeline.ts';
import { plotTimeline } from './support/plot.ts';
import { renderReport, type Report } from './support/report.ts';

if (!hasCluster) throw new Error('tests/keda needs the control plane with KEDA: run `make test-keda`');

const run = promisify(execFile);
const NS = 'todo-keda';
const RELEASE = 'todo';
const APP = 'notification-service';
const TOPIC = 'task-events';
const NAME = `${RELEASE}-todo-platform-${APP}`; // Deployment and ScaledObject
const HPA = `keda-hpa-${NAME}`;
const VALUES = path.join(ROOT, 'tests/keda/values.yaml');
const testValues = parse(readFileSync(VALUES, 'utf8')) as { autoscaling: { lagThreshold: number; scaleDownStabilizationSeconds: number; cooldownPeriod: number; pollingInterval: number } };
const T = testValues.autoscaling.lagThreshold;
const WINDOW = testValues.autoscaling.scaleDownStabilizationSeconds;
/** Marks the backlog's tasks; the fault rules hold only deliveries whose payload contains it. */
const MARK = `kbacklog-${Date.now().toString(36)}-`;

const kc = new KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG!);
const apps = kc.makeApiClient(AppsV1Api);
const hpaApi = kc.makeApiClient(AutoscalingV2Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const orUndefined = async <X>(p: Promise<X>): Promise<X | undefined> => p.catch((err: unknown) => {
  if (err instanceof ApiException && err.code === 404) return undefined;
  throw err;
});
const readHpa = () => orUndefined(hpaApi.readNamespacedHorizontalPodAutoscaler({ name: HPA, namespace: NS }));
const readScaledObject = () => orUndefined(custom.getNamespacedCustomObject({ group: 'keda.sh', version: 'v1alpha1', namespace: NS, plural: 'scaledobjects', name: NAME }) as Promise<any>);
const specReplicas = async () => (await apps.readNamespacedDeployment({ name: NAME, namespace: NS })).spec?.replicas ?? 0;

/** Σ lag of the group on the topic; a partition the group never committed on counts whole (initialOffset oldest). */
const lagOf = (rows: GroupPartition[]) => rows.filter((r) => r.topic === TOPIC).reduce((sum, r) => sum + (r.lag ?? r.logEnd - (r.committed ?? 0)), 0);

async function waitFor<X>(what: string, probe: () => Promise<X | undefined | false>, timeoutMs: number, intervalMs = 1_000): Promise<X> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Creates tasks through the public API, a few at a time; each one's task.created reaches task-events via the outbox. */
async function createTasks(count: number, prefix: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await api('POST', '/api/tasks', { user: 'keda-load', body: { title: `${prefix}${i}` } });
      if (res.status !== 201) throw new Error(`POST /api/tasks → ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

const faults = (method: string, p: string, body?: unknown) => appCall(APP, method, p, body);

// What the scenario records, for the checks and the report.
let partitions = 0;
let minReplicas = 0;
let maxReplicas = 0;
let metricName = '';
let metricSelector = '';
let consumerGroup = '';
const sampler = new Sampler(read, 3_000);
const frozen: Report['frozen'] = [];
const marks: Record<string, number> = {};
let statusScreen = '';
const agreement = { compared: 0, of: 0 };
let attemptsMax = 0;
let attemptsCount = 0;
let passed = 0;
const started = Date.now();

/** The capped lag KEDA's kafka scaler reports (pkg/scalers/kafka_scaler.go, allowIdleConsumers false). */
const kedaOf = (lag: number) => (Math.floor(lag / T) > partitions ? partitions * T : lag);
/** Replicas the HPA settles on for a lag: ceil(metric / lagThreshold), clamped. */
const replicasFor = (lag: number) => Math.min(maxReplicas, Math.max(minReplicas, Math.ceil(kedaOf(lag) / T)));

async function read(): Promise<Reading> {
  const metric = () => externalMetric(kc, NS, metricName, metricSelector).then((v) => ({ v }), (err: Error) => ({ error: err.message.split('\n')[0] }));
  const [group, before, hpa, spec] = await Promise.all([
    describeGroup(consumerGroup).then((rows) => ({ lag: lagOf(rows) }), (err: Error) => ({ lagError: err.message.split('\n')[0] })),
    metric(),
    readHpa(),
    specReplicas(),
  ]);
  const after = await metric();
  const limited = (hpa as V2HorizontalPodAutoscaler | undefined)?.status?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True')?.reason;
  return {
    ...group,
    keda: 'v' in before ? before.v : undefined,
    kedaAfter: 'v' in after ? after.v : undefined,
    kedaError: 'error' in before ? before.error : 'error' in after ? after.error : undefined,
    hpaDesired: hpa?.status?.desiredReplicas, hpaCurrent: hpa?.status?.currentReplicas, limited, spec,
  };
}

/**
 * Does Kafka's figure, through KEDA's formula, lie between the KEDA metric read just before and just after
 * the tool? (In each phase the lag only grows, or only shrinks.) undefined where that cannot be told: a
 * reading missing, or the lag about where KEDA's formula drops from (partitions + 1) × lagThreshold − 1 back
 * to partitions × lagThreshold (not monotonic there, so a reading of the cap may come from either side).
 */
function bracketed(s: Sample): boolean | undefined {
  if (s.lag === undefined || s.keda === undefined || s.kedaAfter === undefined) return undefined;
  const cap = partitions * T;
  const readings = [s.keda, s.kedaAfter];
  if (s.lag >= (partitions + 1) * T) return readings.every((r) => r === cap) ? true : undefined;
  if (s.lag >= cap && readings.includes(cap)) return undefined;
  return s.lag >= Math.min(...readings) && s.lag <= Math.max(...readings);
}

/**
 * Holds the group still at `expected` lag and checks, sample by sample, that KEDA's metric is what its
 * formula makes of Kafka's own figure at that moment, and that the replicas settle where the HPA must.
 */
async function freezeAt(name: string, expected: number): Promise<void> {
  const reached = await sampler.until(`lag ${expected} (${name})`, (s) => s.lag === expected, 120_000);
  marks[`${name}.lagReached`] = reached.t;
  const want = replicasFor(expected);
  const settled = await sampler.until(`spec.replicas ${want} at lag ${expected}`, (s) => s.spec === want && s.hpaDesired === want, 90_000);
  marks[`${name}.replicasSettled`] = settled.t;
  // Two more samples at rest, so the comparison is not one lucky reading.
  const count = sampler.samples.length;
  await sampler.until('two more samples', () => sampler.samples.length >= count + 2, 30_000);
  // From the sample after the one that first saw it: that one's KEDA reading may predate the last event.
  const window = sampler.of(name).filter((s) => s.t > reached.t);
  expect(window.every((s) => s.lag === expected), `${name}: the lag stayed at ${expected} while frozen: ${window.map((s) => s.lag).join(',')}`).toBe(true);
  const compared = window.filter((s) => s.keda !== undefined && s.kedaAfter !== undefined);
  expect(compared.length, `${name}: KEDA metric read`).toBeGreaterThanOrEqual(2);
  for (const s of compared) {
    expect([s.keda, s.kedaAfter], `${name} at ${s.t}s: KEDA metric vs Kafka lag ${s.lag}`).toEqual([kedaOf(s.lag!), kedaOf(s.lag!)]);
  }
  const last = window.at(-1)!;
  expect(last.spec).toBe(want);
  frozen.push({
    phase: name, kafkaLag: expected, kedaMetric: compared.at(-1)!.keda!, samples: compared.length, spec: last.spec, hpaDesired: last.hpaDesired!,
    limited: window.find((s) => s.limited)?.limited ?? '',
  });
}

describe(`autoscaling ${APP} on the lag of its consumer group (KEDA ${'→'} HPA ${'→'} spec.replicas)`, () => {
  beforeAll(async () => {
    deleteNamespace(NS);
    await waitFor('no namespace left from an earlier run', async () => !(await orUndefined(core.readNamespace({ name: NS }))), 120_000);
    install(RELEASE, NS, { files: [VALUES], set: [`autoscaling.brokerAddress=${platform().kafkaBootstrap}`] });
    const so = await waitFor('ScaledObject Ready', async () => {
      const o = await readScaledObject();
      return o?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && o;
    }, 120_000);
    minReplicas = so.spec.minReplicaCount;
    maxReplicas = so.spec.maxReplicaCount;
    consumerGroup = so.spec.triggers.find((t: any) => t.metadata.topic === TOPIC).metadata.consumerGroup;
    const hpa = await waitFor('the HPA KEDA made, with its external metrics', async () => {
      const h = await readHpa();
      return h?.spec?.metrics?.some((m) => m.external?.metric.name.endsWith(`kafka-${TOPIC}`)) && h;
    }, 120_000);
    const metric = hpa.spec!.metrics!.find((m) => m.external?.metric.name.endsWith(`kafka-${TOPIC}`))!.external!;
    metricName = metric.metric.name;
    metricSelector = Object.entries(metric.metric.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    // Warm-up: a few tasks until the group has committed an offset on every partition, so the lag below
    // is Kafka's own LAG column (never "-"), and every consumer is known to be up.
    for (let round = 0; ; round++) {
      await createTasks(12, `warm-${round}-`);
      const rows = await waitFor('the warm-up consumed', async () => {
        const r = (await describeGroup(consumerGroup)).filter((x) => x.topic === TOPIC);
        return r.reduce((n, x) => n + x.logEnd, 0) >= 12 * (round + 1) && r.every((x) => x.logEnd === 0 || x.lag === 0) && r;
      }, 120_000);
      if (rows.every((x) => x.committed !== undefined)) {
        partitions = rows.length;
        break;
      }
      if (round === 5) throw new Error(`after ${12 * (round + 1)} tasks a partition of ${TOPIC} still has no committed offset: ${JSON.stringify(rows)}`);
    }
    sampler.start();
  });

  afterAll(async () => {
    await sampler.stop();
    await faults('POST', '/_faults/release').catch(() => undefined);
    const report = renderReport({
      samples: sampler.samples, frozen, marks, statusScreen, partitions, lagThreshold: T, minReplicas, maxReplicas, window: WINDOW,
      pollingInterval: testValues.autoscaling.pollingInterval, metricName, consumerGroup, attemptsMax, attemptsCount,
      seconds: Math.round((Date.now() - started) / 1000), bootstrap: platform().kafkaBootstrap, agreement,
    });
    const svg = plotTimeline(sampler.samples, { lagThreshold: T, partitions, phases: phasesOf(sampler.samples) });
    // Only a run whose checks all passed rewrites the committed report; any other leaves it in .run/keda.
    const dir = passed === 3 ? path.join(ROOT, 'docs') : path.join(ROOT, '.run', 'keda');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'autoscaling.md'), report);
    writeFileSync(path.join(dir, 'autoscaling.svg'), svg);
    process.stdout.write(`\nautoscaling report: ${path.join(dir, 'autoscaling.md')}\n`);
    helm(['uninstall', RELEASE, '-n', NS, '--wait=false']);
    deleteNamespace(NS);
  });

  it('KEDA scales the group daprd really uses: replicas rise with the lag, KEDA\'s metric is Kafka\'s lag (capped), the backlog drains and replicas fall back', async ({ task }) => {
    // The group in the ScaledObject is the one on the broker with a live member on every partition.
    const rows = (await describeGroup(consumerGroup)).filter((r) => r.topic === TOPIC);
    expect(consumerGroup).toBe(APP);
    expect(rows).toHaveLength(partitions);
    for (const r of rows) expect(r.member, `partition ${r.partition} has a consumer in ${consumerGroup}`).not.toBe('-');
    expect(maxReplicas, 'maxReplicaCount ≤ partitions').toBeLessThanOrEqual(partitions);

    await sampler.until('a baseline at the minimum', (s) => s.lag === 0 && s.spec === minReplicas, 60_000);
    await sleep(6_000);

    // Freeze: hold the first delivery on each partition (one per partition: a partition delivers in order,
    // so the next cannot start), for longer than the phases take. Lag then counts exactly what was created.
    await faults('PUT', '/_faults', { rules: [{ match: MARK, holdMs: 300_000, holdTimes: partitions }] });
    // 1.5 × lagThreshold → 2 replicas; 3.5 × → 4 wanted, clamped to maxReplicaCount (the metric is not yet
    // capped: KEDA caps only from (partitions + 1) × lagThreshold); 4.5 × → the metric capped at partitions × lagThreshold.
    const loads: Array<[string, number]> = [['backlog 1.5×', Math.round(1.5 * T)], ['backlog 3.5×', Math.round(3.5 * T)], ['backlog 4.5×', Math.round(4.5 * T)]];
    let created = 0;
    for (const [phase, total] of loads) {
      sampler.phase = phase;
      marks[`${phase}.start`] = sampler.now();
      await createTasks(total - created, `${MARK}${created}-`);
      created = total;
      marks[`${phase}.created`] = sampler.now();
      await freezeAt(phase, total);
      if (phase === 'backlog 4.5×') statusScreen = await statusNow();
    }
    const holds = ((await faults('GET', '/_faults')).body as { holds: Array<{ endedAt?: string }> }).holds;
    expect(holds.filter((h) => !h.endedAt).length, 'one held delivery per partition').toBe(partitions);

    // Drain slowly: every backlog delivery held 250 ms (≤ 4 per second per partition), then let the frozen ones go.
    sampler.phase = 'drain';
    marks['drain.start'] = sampler.now();
    await faults('PUT', '/_faults', { rules: [{ match: MARK, holdMs: 250, holdTimes: 100_000 }] });
    expect((await faults('POST', '/_faults/release')).body).toEqual({ released: partitions });
    const drained = await sampler.until('the backlog drained', (s) => s.lag === 0, 240_000);
    marks['drain.lagZero'] = drained.t;
    sampler.phase = 'cooldown';
    const back = await sampler.until(`spec.replicas back to ${minReplicas}`, (s) => s.spec === minReplicas, (WINDOW + 90) * 1_000);
    marks['cooldown.backToMin'] = back.t;
    await sampler.until('a tail at the minimum', (s) => s.t >= back.t + 6, 30_000);

    // Every backlog event was handled once: freezing and draining redelivered nothing.
    const attempts = ((await faults('GET', '/_faults')).body as { attempts: Record<string, number> }).attempts;
    const taskEventAttempts = Object.entries(attempts).filter(([k]) => k.startsWith('/events/task-events ')).map(([, n]) => n);
    attemptsCount = taskEventAttempts.length;
    attemptsMax = Math.max(...taskEventAttempts);
    expect(attemptsCount).toBeGreaterThanOrEqual(created);
    expect(attemptsMax, 'no delivery attempted twice').toBe(1);
    task.meta.figures = { frozen: JSON.stringify(frozen), ...marks };
    passed++;
  });

  it('replicas follow the lag: never above the partitions, never ahead of the lag on the way up, never below it on the way down', () => {
    const s = sampler.samples;
    expect(s.length).toBeGreaterThan(20);
    expect(Math.max(...s.map((x) => x.spec)), 'max spec.replicas').toBe(Math.min(maxReplicas, partitions));
    for (const x of s) {
      expect(x.spec, `at ${x.t}s`).toBeLessThanOrEqual(partitions);
      if (x.hpaDesired !== undefined) expect(x.hpaDesired, `HPA at ${x.t}s`).toBeLessThanOrEqual(partitions);
    }
    // Rising: replicas never exceed what the highest lag seen so far (up to the next sample) justifies.
    s.forEach((x, i) => {
      const seen = Math.max(0, ...s.slice(0, i + 2).map((y) => y.lag ?? 0));
      expect(x.spec, `at ${x.t}s spec ${x.spec} with at most lag ${seen} seen`).toBeLessThanOrEqual(replicasFor(seen));
    });
    // Falling: while the backlog drains, replicas stay at least where the current lag puts them.
    for (const x of s.filter((y) => y.phase === 'drain' && y.lag !== undefined)) {
      expect(x.spec, `drain at ${x.t}s: lag ${x.lag}`).toBeGreaterThanOrEqual(replicasFor(x.lag!));
    }
    // KEDA's metric and Kafka's own lag agree at every sample: Kafka's figure lies between the metric read
    // as its tool started and as it answered (the frozen phases compared them exactly above).
    const judged = s.map((x) => [x, bracketed(x)] as const).filter(([, b]) => b !== undefined);
    expect(judged.length, 'samples where the metric could be compared').toBeGreaterThan(s.length / 2);
    for (const [x, b] of judged) expect(b, `at ${x.t}s: Kafka lag ${x.lag} (KEDA: ${kedaOf(x.lag!)}) not between KEDA's ${x.keda} and ${x.kedaAfter}`).toBe(true);
    agreement.compared = judged.length;
    agreement.of = s.length;
    // Before the backlog: the minimum, with nothing to scale on.
    for (const x of sampler.of('baseline')) expect([x.spec, x.lag]).toEqual([minReplicas, 0]);
    // The scale-down waited for the HPA's stabilisation window after the lag had fallen to one replica's worth.
    const lowEnough = s.find((x) => x.phase !== 'baseline' && x.t > marks['drain.start']! && x.lag !== undefined && replicasFor(x.lag) === minReplicas)!;
    // (Less 8 s: the HPA's last higher recommendation may precede the first sample that shows the low lag
    // by one HPA sync (5 s) plus one sampling interval (3 s). Without a window it would take ≤ 5 s.)
    expect(marks['cooldown.backToMin']! - lowEnough.t, 'scale-down after the window').toBeGreaterThanOrEqual(WINDOW - 8);
    passed++;
  });

  it('make k8s-status shows it: the service at its replicas, its ScaledObject and lag metric, the Dapr components, the warning', () => {
    const line = (start: string) => statusScreen.split('\n').find((l) => l.startsWith(start)) ?? '';
    expect(statusScreen).toContain(`namespace ${NS}`);
    const svc = line(`${APP} `);
    expect(svc).toMatch(new RegExp(`^${APP}\\s+${partitions}/0\\s+KEDA ready, active; ${minReplicas}\\.\\.${maxReplicas}; HPA \\d→${partitions}`));
    expect(svc).toContain(`${TOPIC} ${partitions * T}/${T}`);
    expect(line('gateway ')).toMatch(/^gateway\s+2\/0\s+-\s+-$/);
    // The scopes the screen shows are the component files' own (the chart ships components/).
    const scopesOf = (file: string) => (parse(readFileSync(path.join(ROOT, 'components', file), 'utf8')) as { scopes: string[] }).scopes.join(', ');
    expect(line('pubsub ')).toMatch(new RegExp(`^pubsub\\s+pubsub\\.kafka\\s+${scopesOf('kafka/pubsub.yaml')}$`));
    expect(line('reminder-cron ')).toMatch(new RegExp(`^reminder-cron\\s+bindings\\.cron\\s+${scopesOf('common/reminder-cron.yaml')}$`));
    expect(statusScreen).toMatch(/KedaTestWarning\s+1\s+make test-keda: a warning for the status screen/);
    passed++;
  });
});

/** Runs `make k8s-status`'s tool against the test cluster (a warning event created first, for its section). */
async function statusNow(): Promise<string> {
  const now = new Date();
  await core.createNamespacedEvent({
    namespace: NS,
    body: {
      metadata: { generateName: 'keda-test-' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME, namespace: NS },
      reason: 'KedaTestWarning', message: 'make test-keda: a warning for the status screen', type: 'Warning',
      firstTimestamp: now, lastTimestamp: now, count: 1, source: { component: 'make-test-keda' },
    },
  });
  const { stdout } = await run('node', ['--import', 'tsx', path.join(ROOT, 'tools/k8s-status/main.ts'), '-n', NS], { cwd: ROOT, env: process.env, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

function phasesOf(samples: Sample[]): Array<{ name: string; from: number; to: number }> {
  const out: Array<{ name: string; from: number; to: number }> = [];
  for (const s of samples) {
    const last = out.at(-1);
    if (last && last.name === s.phase) last.to = s.t;
    else {
      if (last) last.to = s.t;
      out.push({ name: s.phase, from: last ? s.t : 0, to: s.t });
    }
  }
  return out;
}
