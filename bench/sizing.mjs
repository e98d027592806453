// docs/sizing.md from docs/benchmarks.json: per-replica capacity of each service and sidecar as measured,
// then a paper model for 1 k, 100 k and 10 M users at a stated activity profile. `node bench/sizing.mjs`
// (make bench runs it after the benchmarks). Every assumption is a named constant below.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const quick = process.env.QUICK === '1' || process.env.QUICK === 'true';
// Next to the report it reads: docs/ after `make bench`, .run/bench-report after QUICK=1 (bench/run.mjs).
const docs = process.env.BENCH_OUT ?? (quick ? path.join(ROOT, '.run', 'bench-report') : path.join(ROOT, 'docs'));
const bench = JSON.parse(readFileSync(path.join(docs, 'benchmarks.json'), 'utf8'));
const scen = (id) => bench.scenarios.find((s) => s.id === id)?.figures;
const med = (s, fallback) => (s && Number.isFinite(s.median) && s.median > 0 ? { v: s.median, measured: true } : { v: fallback, measured: false });

// ---- Activity profile (assumptions, per daily active user) ----
const PROFILE = {
  dailyActiveShare: 0.3, // of all users, on a given day
  taskWritesPerDay: 8, // creates, edits, completions, deletes
  readsPerDay: 40, // list pages, task reads, dashboard, notification feed
  remindersPerDay: 2, // reminder.due → notification
  peakFactor: 6, // busiest second of the day ÷ the day's average rate
  tasksKeptPerUser: 100, // every user, active or not (open and completed)
  notificationsKeptPerUser: 100, // of the 1,000 the feed may hold
};
// ---- Model constants (assumptions, from the code's access patterns) ----
const MODEL = {
  headroom: 0.6, // run replicas at ≤ 60 % of the measured maximum
  subscribersPerTaskEvent: 3, // reminder-, notification-, recurring-service (plus the bench's own, not counted)
  redisOpsPerWrite: 14, // index page read+CAS (3), claim (1-2), transaction with outbox marker (3), forwarder marker check (1), consumers' dedupe records and writes (~6)
  redisOpsPerRead: 3, // head, page, bulk get of the page's tasks
  redisOpsPerReminder: 4,
  redisOpsPerSecPerPrimary: 80_000, // one Redis primary, small values, pipelining off (redis-benchmark class hardware: 100k+)
  bytesPerTask: 1_200, // JSON ~600 B + Redis hash + index entry
  bytesPerNotification: 600,
  eventBytes: 1_100, // a task event (the task + envelope, CloudEvent)
  retentionDays: 7,
  partitionMin: 3,
  partitionMax: 120,
};

const api = scen('api-write');
const plat = scen('platform');
const del = scen('delivery');
const pub = scen('publish');
// ---- Measured per-replica capacities (one replica = one app + its daprd on the bench machine) ----
const cap = {
  writesPerSec: med(api?.platformMaxRps, 150), // gateway + task-service path, max req/s
  readsPerSec: med(api?.pageSmallRps, 300),
  outboxEventsPerSec: med(plat?.outboxMaxSustained, 300),
  consumerMsgPerSecPerPartition: med(del?.['burst-p4-h5/dapr']?.delivered && { median: del['burst-p4-h5/dapr'].delivered.median / 4 }, 150),
  publishMsgPerSec: med(pub?.daprSingle, 1_000),
  // One staging partition is forwarded by one sidecar, one message at a time: measured where the sweep fell behind.
  outboxEventsPerSecPerPartition: med(plat?.outboxEventsPerSecPerPartition, 80),
};
const measured = (c) => (c.measured ? 'measured' : '**default — not in this run**');

function size(users) {
  const dau = users * PROFILE.dailyActiveShare;
  const avg = (perDay) => (dau * perDay) / 86_400;
  const peak = (perDay) => avg(perDay) * PROFILE.peakFactor;
  const writes = peak(PROFILE.taskWritesPerDay);
  const reads = peak(PROFILE.readsPerDay);
  const reminders = peak(PROFILE.remindersPerDay);
  const replicas = (load, capacity) => Math.max(1, Math.ceil(load / (capacity * MODEL.headroom)));
  const taskEvents = writes;
  const deliveries = taskEvents * MODEL.subscribersPerTaskEvent + reminders;
  const partitions = Math.min(MODEL.partitionMax, Math.max(MODEL.partitionMin, Math.ceil(taskEvents / (cap.consumerMsgPerSecPerPartition.v * MODEL.headroom))));
  const gatewayReplicas = replicas(writes + reads, Math.max(cap.writesPerSec.v, cap.readsPerSec.v));
  const taskReplicas = Math.max(replicas(writes, cap.writesPerSec.v) + replicas(reads, cap.readsPerSec.v) - 1, replicas(taskEvents, cap.outboxEventsPerSec.v));
  const consumerReplicas = Math.min(partitions, replicas(taskEvents, cap.consumerMsgPerSecPerPartition.v));
  // Every task-service replica's sidecar forwards the partitions it is assigned: at least one each, and
  // enough that each forwards at ≤ headroom of its measured rate.
  const stagingPartitions = Math.max(MODEL.partitionMin, taskReplicas, Math.min(MODEL.partitionMax, Math.ceil(taskEvents / (cap.outboxEventsPerSecPerPartition.v * MODEL.headroom))));
  const redisOps = writes * MODEL.redisOpsPerWrite + reads * MODEL.redisOpsPerRead + reminders * MODEL.redisOpsPerReminder;
  const redisGb = (users * (PROFILE.tasksKeptPerUser * MODEL.bytesPerTask + PROFILE.notificationsKeptPerUser * MODEL.bytesPerNotification)) / 2 ** 30;
  const redisShards = Math.max(1, Math.ceil(redisOps / (MODEL.redisOpsPerSecPerPrimary * MODEL.headroom)), Math.ceil(redisGb / 25));
  const brokerMBps = ((taskEvents + reminders) * MODEL.eventBytes * (1 + MODEL.subscribersPerTaskEvent)) / 2 ** 20;
  const retentionGb = (avg(PROFILE.taskWritesPerDay + PROFILE.remindersPerDay) * 86_400 * MODEL.retentionDays * MODEL.eventBytes * 2) / 2 ** 30; // ×2: the outbox staging topic
  // What runs out first: the resource with the most replicas/shards needed relative to its single-unit limit.
  const pressures = [
    ['page reads (gateway → task-service → a 100-key bulk get: 100 Redis round trips in daprd)', reads / cap.readsPerSec.v, 'more gateway and task-service replicas; a pipelined bulk get in daprd\'s Redis store, or a page kept as one document'],
    ['task-service write path (gateway → task-service → Redis)', writes / cap.writesPerSec.v, 'more task-service and gateway replicas (stateless; the per-user index page serializes only one user\'s writes)'],
    ['outbox forwarding (one message at a time per staging partition)', taskEvents / cap.outboxEventsPerSec.v, 'more task-service replicas, staging partitions ≥ replicas'],
    ['Kafka consumers (sequential per partition)', taskEvents / (cap.consumerMsgPerSecPerPartition.v * MODEL.partitionMin), 'more partitions on task-events and consumer replicas, or bulk subscribe'],
    ['Redis (one primary)', redisOps / MODEL.redisOpsPerSecPerPrimary, 'Redis Cluster (the state store shards by key; task keys and per-user index pages spread evenly)'],
    ['Redis memory (25 GB per primary)', redisGb / 25, 'shards, or TTLs/archiving for completed tasks'],
  ].sort((a, b) => b[1] - a[1]);
  return { users, dau, writes, reads, reminders, taskEvents, deliveries, partitions, stagingPartitions, gatewayReplicas, taskReplicas, consumerReplicas, redisOps, redisGb, redisShards, brokerMBps, retentionGb, first: pressures[0], second: pressures[1] };
}

const f = (x, d = 0) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d || (x < 10 ? 1 : 0)));
const scales = [1_000, 100_000, 10_000_000].map(size);
const lines = [
  `<!-- Generated by \`node bench/sizing.mjs\` from docs/benchmarks.json (${bench.generatedBy}, ${bench.date}); do not edit — run it again. -->`,
  '# Sizing (on paper, from the measured figures)',
  '',
  bench.quick ? '> Derived from a **QUICK** benchmark run: the model is right, the figures are not — regenerate after `make bench` on a quiet machine.' : '> Derived from a full `make bench` run.',
  '',
  `## Per-replica capacity (measured on ${bench.machine.cores} cores, ${bench.machine.cpuModel}; one replica = app + its daprd)`,
  '',
  '| what | capacity | source |',
  '|---|---|---|',
  `| task writes through gateway → task-service (POST /api/tasks) | ${f(cap.writesPerSec.v)} /s | api-write max req/s, ${measured(cap.writesPerSec)} |`,
  `| page reads (GET /api/tasks?limit=100) | ${f(cap.readsPerSec.v)} /s | api-write page, ${measured(cap.readsPerSec)} |`,
  `| task events through one task-service's outbox | ${f(cap.outboxEventsPerSec.v)} /s | platform outbox sweep, ${measured(cap.outboxEventsPerSec)} |`,
  `| task events forwarded per outbox staging partition | ${f(cap.outboxEventsPerSecPerPartition.v)} /s | platform outbox sweep where it fell behind, ${measured(cap.outboxEventsPerSecPerPartition)} |`,
  `| deliveries per Kafka partition to one subscriber (handler 5 ms) | ${f(cap.consumerMsgPerSecPerPartition.v)} /s | delivery burst, 4 partitions ÷ 4, ${measured(cap.consumerMsgPerSecPerPartition)} |`,
  `| Dapr publishes per sidecar (1 per call) | ${f(cap.publishMsgPerSec.v)} /s | publish, ${measured(cap.publishMsgPerSec)} |`,
  '',
  'Replicas are sized to run at ≤ ' + MODEL.headroom * 100 + ' % of these.',
  '',
  '## Activity profile (assumed)',
  '',
  `${PROFILE.dailyActiveShare * 100} % of users active on a day; each does ${PROFILE.taskWritesPerDay} task writes, ${PROFILE.readsPerDay} reads and gets ${PROFILE.remindersPerDay} reminders a day; the busiest second is ${PROFILE.peakFactor}× the day's average. Each user keeps ${PROFILE.tasksKeptPerUser} tasks and ${PROFILE.notificationsKeptPerUser} notifications. Each task event goes to ${MODEL.subscribersPerTaskEvent} subscribers. Redis: ~${MODEL.redisOpsPerWrite} operations per write, ${MODEL.redisOpsPerRead} per read; ${MODEL.redisOpsPerSecPerPrimary.toLocaleString('en-US')} ops/s per primary. Kafka retention ${MODEL.retentionDays} days. (Constants at the top of bench/sizing.mjs.)`,
  '',
  '## Per scale, at the peak second',
  '',
  `| | ${scales.map((s) => `${f(s.users)} users`).join(' | ')} |`,
  `|---|${scales.map(() => '---').join('|')}|`,
  `| task writes/s (= task events/s) | ${scales.map((s) => f(s.writes, 2)).join(' | ')} |`,
  `| reads/s | ${scales.map((s) => f(s.reads, 2)).join(' | ')} |`,
  `| deliveries/s (all subscribers) | ${scales.map((s) => f(s.deliveries, 2)).join(' | ')} |`,
  `| partitions: task-events (and reminders) | ${scales.map((s) => s.partitions).join(' | ')} |`,
  `| partitions: outbox staging topic | ${scales.map((s) => s.stagingPartitions).join(' | ')} |`,
  `| replicas: gateway | ${scales.map((s) => s.gatewayReplicas).join(' | ')} |`,
  `| replicas: task-service | ${scales.map((s) => s.taskReplicas).join(' | ')} |`,
  `| replicas: each task-event subscriber | ${scales.map((s) => s.consumerReplicas).join(' | ')} |`,
  `| Redis ops/s | ${scales.map((s) => f(s.redisOps)).join(' | ')} |`,
  `| Redis memory | ${scales.map((s) => `${f(s.redisGb, 2)} GB`).join(' | ')} |`,
  `| Redis primaries | ${scales.map((s) => s.redisShards).join(' | ')} |`,
  `| broker throughput (in + out) | ${scales.map((s) => `${f(s.brokerMBps, 2)} MB/s`).join(' | ')} |`,
  `| broker retention (${MODEL.retentionDays} d, incl. staging) | ${scales.map((s) => `${f(s.retentionGb, 2)} GB`).join(' | ')} |`,
  `| first bottleneck (load ÷ what one replica, partition or Redis primary takes) | ${scales.map((s) => (s.first[1] < 0.5 ? `none: the largest is ${s.first[0]} at ${f(s.first[1] * 100)} %` : `${s.first[0]}: ${f(s.first[1] * 100)} %`)).join(' | ')} |`,
  `| what removes it | ${scales.map((s) => (s.first[1] < 0.5 ? '—' : s.first[2])).join(' | ')} |`,
  `| next | ${scales.map((s) => `${s.second[0]}: ${f(s.second[1] * 100)} %${s.second[1] >= 0.5 ? ` — ${s.second[2]}` : ''}`).join(' | ')} |`,
  '',
  'Each daprd adds its own memory per replica (see the footprint table in benchmarks.md): at 10 M users the sidecars\' memory is a line item of its own.',
  '',
];
writeFileSync(path.join(docs, 'sizing.md'), lines.join('\n'));
process.stderr.write(`sizing: wrote ${path.join(docs, 'sizing.md')}\n`);
