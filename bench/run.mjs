// `make bench` (scripts/bench.sh): boots the bench's own Kafka + Redis, runs every scenario (each with its
// own app and sidecar processes), and writes docs/benchmarks.json, docs/benchmarks.md, docs/bench/*.svg
// and .run/test-results/bench.json (vitest-shaped: passed = scenarios that ran; never fails on numbers).
// QUICK=1: the same scenarios and report shape, one short round each, written to .run/bench-report.
// BENCH_ONLY=a,b runs a subset; BENCH_OUT=<dir> writes the report elsewhere.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchOptions, renderBenchComponents } from './lib/apps.mjs';
import { startInfra, stopInfra } from './lib/infra.mjs';
import { updateReadme, writeReport } from './lib/report.mjs';
import { QUICK, ROOT, ROUNDS, WINDOW_S, log, machine } from './lib/util.mjs';

const SCENARIOS = ['startup', 'api-write', 'invoke', 'publish', 'delivery', 'platform'];
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const selected = SCENARIOS.filter((s) => !only || only.includes(s));

const started = Date.now();
const runDir = path.join(ROOT, '.run', 'bench');
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
const host = machine();
log(`${QUICK ? 'QUICK ' : ''}bench on ${host.cpuModel}, ${host.cores} cores; scenarios: ${selected.join(', ')}`);

const results = [];
const failures = [];
let infra;
const stopOnSignal = async (signal) => {
  log(`${signal}: stopping`);
  if (infra) await stopInfra(infra);
  process.exit(130);
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);
async function runScenario(id, ctx) {
  const t = Date.now();
  log(`== ${id}`);
  try {
    const mod = await import(`./scenarios/${id}.mjs`);
    const result = await mod.run(ctx);
    result.seconds = Math.round((Date.now() - t) / 1000);
    results.push(result);
    log(`== ${id} done in ${result.seconds} s`);
  } catch (err) {
    failures.push({ id, error: String(err?.stack ?? err) });
    log(`== ${id} FAILED: ${err?.stack ?? err}`);
  }
}

try {
  // The start-up scenario needs no infrastructure. QUICK runs it while Kafka boots (its figures then
  // compete with the broker's start for the CPU — QUICK's figures are not for reading anyway); the
  // full run keeps them apart.
  const overlap = QUICK && selected.includes('startup');
  const booting = startInfra(runDir);
  if (overlap) await runScenario('startup', {});
  infra = await booting;
  const components = renderBenchComponents(infra);
  const ctx = { infra, components, launch: launchOptions(infra), tmp: path.join(runDir, 'tmp') };
  for (const id of selected) if (!(overlap && id === 'startup')) await runScenario(id, ctx);
} finally {
  if (infra) await stopInfra(infra);
}

const totalSeconds = Math.round((Date.now() - started) / 1000);
const doc = {
  generatedBy: QUICK ? 'make bench QUICK=1' : 'make bench',
  quick: QUICK,
  date: new Date().toISOString(),
  totalSeconds,
  rounds: ROUNDS,
  windowSeconds: WINDOW_S,
  machine: host,
  loadAverageAtEnd: (await import('node:os')).loadavg(),
  tools: { loadGenerator: 'fortio-load (fortio.org/fortio v1.75.3 load engine, tools/fortio)', kafkaClient: '@platformatic/kafka 2.12.1', daprd: '1.18.3 (project build)', kafka: '3.9.1', redis: 'redis-server (Debian)' },
  scenarios: results,
  failures,
};
// The full run writes the committed report (docs/); a QUICK run (CI, a smoke test) writes the same files
// under .run/bench-report, so it never replaces the committed figures.
const out = process.env.BENCH_OUT ?? (QUICK ? path.join(ROOT, '.run', 'bench-report') : path.join(ROOT, 'docs'));
writeReport(doc, out);
// Only a full run of every scenario into docs/ speaks for the README.
if (!QUICK && !only && !process.env.BENCH_OUT) updateReadme(doc, path.join(ROOT, 'README.md'));
mkdirSync(path.join(ROOT, '.run', 'test-results'), { recursive: true });
const passed = results.length;
writeFileSync(
  path.join(ROOT, '.run', 'test-results', 'bench.json'),
  JSON.stringify({ numTotalTests: selected.length, numPassedTests: passed, numFailedTests: failures.length, success: failures.length === 0, testResults: [...results.map((r) => ({ name: r.id, status: 'passed', seconds: r.seconds })), ...failures.map((f) => ({ name: f.id, status: 'failed', message: f.error }))] }, null, 2),
);
log(`done in ${totalSeconds} s: ${passed} scenario(s) ran, ${failures.length} failed`);
process.stdout.write(`bench: ${passed} passed, ${failures.length} failed\n`);
process.exit(failures.length === 0 ? 0 : 1);
