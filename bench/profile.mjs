// Where the time goes on the paths whose targets are missed: `node bench/profile.mjs` (FORTIO_LOAD set,
// as scripts/bench.sh sets it). Boots its own Kafka + Redis, starts gateway + task-service and the bench
// publisher with BENCH_PROFILE=1 (Node apps under --cpu-prof, every daprd with --enable-profiling), drives
// POST /api/tasks and Dapr publishes at full speed while it takes a 8 s CPU profile of each daprd (pprof),
// then writes the top functions of every profile to .run/bench-profile/summary.txt.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { OUTBOX_VARIANTS, assignPorts, benchSpec, byId, launchOptions, platformSpecs, renderBenchComponents, startAll, stopAll, waitInvocable } from './lib/apps.mjs';
import { fortio, tempFile } from './lib/fortio.mjs';
import { createTopics, startInfra, stopInfra } from './lib/infra.mjs';
import { ROOT, http, log } from './lib/util.mjs';
import { BODY, userTokens } from './scenarios/api-write.mjs';

process.env.BENCH_PROFILE = '1';
const run = promisify(execFile);
const runDir = path.join(ROOT, '.run', 'bench-profile');
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);

async function pprof(port, file) {
  const res = await fetch(`http://127.0.0.1:${port}/debug/pprof/profile?seconds=${SECONDS}`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Every histogram's _sum and _count on a daprd's Prometheus endpoint, by series. */
async function histograms(metricsPort) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const out = new Map();
  for (const line of text.split('\n')) {
    const m = /^(\w+)_(sum|count)(\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (!m) continue;
    const key = `${m[1]}${m[3] ?? ''}`;
    const e = out.get(key) ?? { sum: 0, count: 0 };
    e[m[2]] = Number(m[4]);
    out.set(key, e);
  }
  return out;
}

/** Where a daprd spent its time between two snapshots: per series, calls and mean latency (ms). */
function latencyDelta(before, after, n = 30) {
  const rows = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    if (count <= 0 || !/latenc|duration/i.test(key)) continue;
    rows.push({ key: key.replace(/app_id="[^"]*",?/, ''), count, mean: (a.sum - b.sum) / count });
  }
  return rows.sort((x, y) => y.count * y.mean - x.count * x.mean).slice(0, n).map((r) => `${String(r.count).padStart(7)} calls  mean ${r.mean.toFixed(2).padStart(8)} ms  ${r.key}`).join('\n');
}

/** Self time per function of a V8 .cpuprofile, top n, as "ms  %  function (file:line)". */
function topOfCpuProfile(file, n = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map();
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const node = byId.get(prof.samples[i]);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anonymous)'} (${cf.url.replace(/^.*\/(node_modules|dist|services|packages)\//, '$1/')}:${cf.lineNumber + 1})`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`).join('\n');
}

const infra = await startInfra(runDir);
const out = [];
try {
  const components = renderBenchComponents(infra);
  const launch = launchOptions(infra);
  const ctx = { infra, components, launch, tmp: path.join(runDir, 'tmp') };
  const specs = (await platformSpecs(infra, components)).filter((s) => ['gateway', 'task-service', 'reminder-service'].includes(s.appId));
  // task-service again with 3- and 8-partition outbox staging topics (its own has 32).
  const task = specs.find((s) => s.appId === 'task-service');
  for (const appId of Object.keys(OUTBOX_VARIANTS)) specs.push(await assignPorts({ ...task, command: [...task.command], appId, env: { ...task.env } }));
  await createTopics(infra, Object.fromEntries(Object.entries(OUTBOX_VARIANTS).map(([id, n]) => [`default${id}task-eventsoutbox`, n])));
  await createTopics(infra, { 'bench-publish': 4 });
  specs.push(await benchSpec('bench-pub', 'publisher.mjs', [components.kafka], components));
  const echo = await benchSpec('bench-echo', 'echo.mjs', [], components);
  specs.push(echo, await benchSpec('bench-caller', 'caller.mjs', [], components, { ECHO_PORT: String(echo.appPort), ECHO_APP_ID: 'bench-echo' }));
  const running = await startAll(specs, launch);
  const profDir = path.join(runDir, 'pprof');
  mkdirSync(profDir, { recursive: true });
  try {
    await waitInvocable(byId(running, 'gateway').spec.daprHttpPort, 'task-service', launch);
    const gateway = `http://127.0.0.1:${byId(running, 'gateway').spec.appPort}`;
    const tokensFile = tempFile(ctx.tmp, 'tokens', (await userTokens(ctx, 'prof')).join('\n'));
    const payloadFile = tempFile(ctx.tmp, 'task.json', BODY);
    log('profile: API writes at full speed');
    const metricsOf = (id) => byId(running, id).spec.metricsPort;
    const before = { gateway: await histograms(metricsOf('gateway')), task: await histograms(metricsOf('task-service')) };
    const [writes] = await Promise.all([
      fortio({ url: `${gateway}/api/tasks`, method: 'POST', payloadFile, contentType: 'application/json', tokensFile, qps: 0, c: 16, seconds: SECONDS + 2 }),
      pprof(byId(running, 'gateway').spec.profilePort, path.join(profDir, 'gateway-daprd.pprof')),
      pprof(byId(running, 'task-service').spec.profilePort, path.join(profDir, 'task-service-daprd.pprof')),
    ]);
    out.push(`API writes: ${writes.qps.toFixed(0)} req/s, p50 ${writes.ms.p50} ms, p99 ${writes.ms.p99} ms, codes ${JSON.stringify(writes.codes)}`);
    out.push(`\n=== gateway daprd: latency by metric series during the writes\n${latencyDelta(before.gateway, await histograms(metricsOf('gateway')))}`);
    out.push(`\n=== task-service daprd: latency by metric series during the writes\n${latencyDelta(before.task, await histograms(metricsOf('task-service')))}\n`);
    // The outbox's own cost: the same one-upsert state transaction through task-service's sidecar (its
    // store has the outbox) and reminder-service's (the same Redis, no outbox), as fast as they answer.
    log('profile: state transaction with and without the outbox');
    const tx = tempFile(ctx.tmp, 'tx.json', '{"operations":[{"operation":"upsert","request":{"key":"bench-tx-{uuid}","value":{"title":"Pay rent","n":1}}}]}');
    const order = ['task-service', 'reminder-service', ...Object.keys(OUTBOX_VARIANTS)];
    for (const [i, id] of [...order, ...order].entries()) {
      if (i === order.length) void pprof(byId(running, id).spec.profilePort, path.join(profDir, 'task-service-daprd-outbox-tx.pprof'));
      const r = await fortio({ url: `http://127.0.0.1:${byId(running, id).spec.daprHttpPort}/v1.0/state/statestore/transaction`, method: 'POST', payloadFile: tx, contentType: 'application/json', headers: [`dapr-api-token: ${launch.daprApiToken}`], qps: 0, c: 16, seconds: 4 });
      out.push(`state transaction via ${id} daprd (${id === 'reminder-service' ? 'no outbox' : `outbox, ${OUTBOX_VARIANTS[id] ?? 32} staging partitions`}): ${r.qps.toFixed(0)} tx/s, p50 ${r.ms.p50} ms, p90 ${r.ms.p90} ms, p99 ${r.ms.p99} ms, codes ${JSON.stringify(r.codes)}`);
    }
    // A page of 100 tasks reads them with one bulk get; the @dapr/dapr SDK sends parallelism 10 (its
    // default), and the Redis store has no native bulk get, so daprd fetches the 100 keys 10 at a time.
    log('profile: bulk get of 100 keys, parallelism 10 (the SDK default) and 100');
    const taskSidecar = byId(running, 'task-service').spec.daprHttpPort;
    const keys = Array.from({ length: 100 }, (_, i) => `bench-page-${i}`);
    await http('POST', `http://127.0.0.1:${taskSidecar}/v1.0/state/statestore`, keys.map((key) => ({ key, value: { id: key, title: 'Task', tags: ['seed'], pad: 'x'.repeat(400) } })), { 'dapr-api-token': launch.daprApiToken });
    for (const [i, parallelism] of [10, 100, 10, 100].entries()) {
      if (i === 3) void pprof(byId(running, 'task-service').spec.profilePort, path.join(profDir, 'task-service-daprd-bulk-get.pprof'));
      const body = tempFile(ctx.tmp, `bulk-${parallelism}.json`, JSON.stringify({ keys, parallelism }));
      const r = await fortio({ url: `http://127.0.0.1:${taskSidecar}/v1.0/state/statestore/bulk`, method: 'POST', payloadFile: body, contentType: 'application/json', headers: [`dapr-api-token: ${launch.daprApiToken}`], qps: 0, c: 8, seconds: 3 });
      out.push(`bulk get of 100 keys, parallelism ${parallelism}: ${r.qps.toFixed(0)} req/s, p50 ${r.ms.p50} ms, p99 ${r.ms.p99} ms, codes ${JSON.stringify(r.codes)}`);
    }
    log('profile: Dapr publish, one per call, at full speed');
    const [pub] = await Promise.all([
      http('POST', `http://127.0.0.1:${byId(running, 'bench-pub').spec.appPort}/run`, { mode: 'dapr', topic: 'bench-publish', rate: 0, seconds: SECONDS + 2, concurrency: 16 }),
      pprof(byId(running, 'bench-pub').spec.profilePort, path.join(profDir, 'bench-pub-daprd.pprof')),
    ]);
    out.push(`Dapr publish: ${pub.msgPerSec.toFixed(0)} msg/s, call p50 ${pub.callMs.p50?.toFixed(1)} ms, p99 ${pub.callMs.p99?.toFixed(1)} ms`);
    log('profile: invocation hop at 1000 req/s');
    await waitInvocable(byId(running, 'bench-caller').spec.daprHttpPort, 'bench-echo', launch);
    const hopBody = tempFile(ctx.tmp, 'hop.json', JSON.stringify({ pad: 'x'.repeat(1000) }));
    const [hop] = await Promise.all([
      fortio({ url: `http://127.0.0.1:${byId(running, 'bench-caller').spec.appPort}/dapr`, method: 'POST', payloadFile: hopBody, contentType: 'application/json', qps: 1000, c: 16, seconds: SECONDS + 2 }),
      pprof(byId(running, 'bench-caller').spec.profilePort, path.join(profDir, 'bench-caller-daprd.pprof')),
      pprof(byId(running, 'bench-echo').spec.profilePort, path.join(profDir, 'bench-echo-daprd.pprof')),
    ]);
    out.push(`Invocation hop: ${hop.qps.toFixed(0)} req/s, p50 ${hop.ms.p50} ms, p90 ${hop.ms.p90} ms, p99 ${hop.ms.p99} ms`);
  } finally {
    await stopAll(running); // SIGTERM: the Node apps write their .cpuprofile as they exit
  }
  for (const f of readdirSync(profDir)) {
    const { stdout } = await run('go', ['tool', 'pprof', '-top', '-nodecount=25', path.join(ROOT, '.dapr/bin/daprd'), path.join(profDir, f)], { maxBuffer: 16 << 20 }).catch((e) => ({ stdout: String(e) }));
    out.push(`\n=== daprd ${f} (flat = own time, cum = with callees)\n${stdout}`);
    const { stdout: cum } = await run('go', ['tool', 'pprof', '-top', '-cum', '-nodecount=40', path.join(ROOT, '.dapr/bin/daprd'), path.join(profDir, f)], { maxBuffer: 16 << 20 }).catch((e) => ({ stdout: String(e) }));
    out.push(`--- by cumulative time\n${cum}`);
  }
  const cpuDir = path.join(launch.logDir, 'cpuprof');
  for (const app of existsSync(cpuDir) ? readdirSync(cpuDir) : []) {
    for (const f of readdirSync(path.join(cpuDir, app))) out.push(`\n=== ${app} (Node --cpu-prof, self time)\n${topOfCpuProfile(path.join(cpuDir, app, f))}`);
  }
} finally {
  await stopInfra(infra);
}
writeFileSync(path.join(runDir, 'summary.txt'), out.join('\n') + '\n');
log(`profile summary: ${path.join(runDir, 'summary.txt')}`);
