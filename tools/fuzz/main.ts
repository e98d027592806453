// `make fuzz` / `make fuzz-ci`: boots its own platform (real daprd, Kafka, Redis, Zipkin on free ports,
// as the integration suite does), then runs schemathesis against the gateway's own OpenAPI document
// with a valid token, every operation, every check. The result goes to .run/test-results/fuzz.json in
// vitest's report shape, so CI's totals count it.
//   FUZZ_EXAMPLES   test cases per operation and phase (default 500; `make fuzz-ci` uses 25)
//   FUZZ_MIN_CASES  fail when fewer test cases ran than this (default 5000; `make fuzz-ci` 500)
//   FUZZ_SEED       schemathesis seed (default: random, printed so a failure can be replayed)
//   FUZZ_LABEL      name of the result file in .run/test-results (default fuzz)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bootForTests, ROOT } from '../../tests/support/platform.ts';
import { signDevToken } from '../launcher/token.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const examples = Number(process.env.FUZZ_EXAMPLES ?? 500);
const minCases = Number(process.env.FUZZ_MIN_CASES ?? 5000);
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const label = process.env.FUZZ_LABEL ?? 'fuzz';
const resultsDir = path.join(ROOT, '.run', 'test-results');
const reportDir = path.join(ROOT, '.run', 'fuzz', 'report');

function venvBin(): string {
  const cache = process.env.TODO_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'todo-platform');
  const venv = readdirSync(cache).filter((d) => d.startsWith('fuzz-venv-') && existsSync(path.join(cache, d, '.complete'))).sort()
    .find((d) => existsSync(path.join(cache, d, 'bin', 'st')));
  if (!venv) throw new Error('schemathesis is not installed: run scripts/setup-fuzz.sh (make fuzz does)');
  return path.join(cache, venv, 'bin', 'st');
}

function writeResult(passed: number, failed: number, detail: Record<string, unknown>) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${label}.json`), JSON.stringify({
    numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0,
    success: failed === 0, tool: 'schemathesis', ...detail,
  }, null, 2));
}

const st = venvBin();
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
const booted = await bootForTests({ name: 'fuzz' });
let code = 1;
const crashes: string[] = [];
try {
  const token = await signDevToken(booted.info.secrets.jwtSigningKey, 'fuzzer', { admin: true });
  await seedDeadLetter(booted.info, token);
  const args = [
    '--config-file', path.join(ROOT, 'tools/fuzz/schemathesis.toml'),
    'run', `${booted.info.gatewayUrl}/api/openapi.json`,
    '--checks', 'all',
    '--max-examples', String(examples),
    '--seed', seed,
    '--header', `Authorization: Bearer ${token}`,
    '--workers', '2',
    '--request-timeout', '15',
    '--report', 'junit,json',
    '--report-dir', reportDir,
    '--no-color',
  ];
  out(`schemathesis: ${examples} examples per operation and phase, seed ${seed} (replay: FUZZ_SEED=${seed} make fuzz)`);
  code = await new Promise<number>((resolve) => {
    const child = spawn(st, args, { stdio: 'inherit', cwd: ROOT });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  // 0 crashes: every app still answers its liveness probe after the run (a crash would also have shown
  // as 5xx/connection errors above; this catches one after the last request).
  for (const [appId, app] of Object.entries(booted.info.apps)) {
    const alive = await fetch(`http://127.0.0.1:${app.appPort}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (!alive) crashes.push(`${appId}: not answering /healthz after the run`);
  }
} finally {
  await booted.teardown();
}
// …and no app logged an unexpected error (pino level ≥ 50: a 500 or worse) while being fuzzed.
for (const file of readdirSync(booted.info.logDir).filter((f) => f.endsWith('.app.log'))) {
  const errors = readFileSync(path.join(booted.info.logDir, file), 'utf8').split('\n').filter((l) => /^\{.*"level":(5|6)0\b/.test(l));
  for (const line of errors.slice(0, 5)) crashes.push(`${file}: ${line.slice(0, 300)}`);
  if (errors.length > 5) crashes.push(`${file}: … ${errors.length - 5} more error lines`);
}
for (const c of crashes) out(`fuzz: ${c}`);

// One "test" per operation (and one for the stateful phase), from the JUnit report: CI's totals count
// what was fuzzed, not each of thousands of generated cases. The cases are in the JSON report.
const summary = summarize();
const tooFew = summary.cases < minCases;
out(`fuzz: ${summary.cases} test cases over ${summary.operations} operations (+ stateful); ${summary.failingCases} failing case(s) in ${summary.failures} operation(s); schemathesis exit ${code}`);
if (tooFew) out(`fuzz: only ${summary.cases} test cases ran; at least ${minCases} were asked for (FUZZ_MIN_CASES)`);
const failed = summary.failures + (code !== 0 && summary.failures === 0 ? 1 : 0) + (tooFew ? 1 : 0) + (crashes.length ? 1 : 0);
// One more "test": no crash and no error logged by any app.
writeResult(Math.max(0, summary.testcases - summary.failures) + (crashes.length ? 0 : 1), failed, {
  cases: summary.cases, failingCases: summary.failingCases, crashes, seed, examples, report: reportDir,
});
process.exit(failed === 0 ? 0 : 1);

/**
 * One dead letter to fuzz the admin operations with (else they only ever see 404): an event its
 * subscribers cannot parse, published to task-events through dead-letter-service's sidecar (the one
 * allowed to publish there besides task-service's outbox: it replays). They drop it; it lands in
 * task-events.dlq and dead-letter-service stores it.
 */
async function seedDeadLetter(info: Awaited<ReturnType<typeof bootForTests>>['info'], token: string) {
  const dls = info.apps['dead-letter-service'];
  if (!dls) return;
  const res = await fetch(`http://127.0.0.1:${dls.daprHttpPort}/v1.0/publish/pubsub/task-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'dapr-api-token': info.secrets.daprApiToken },
    body: JSON.stringify({ id: 'fuzz-seed-dead-letter', type: 'task.unknown', note: 'seeded by tools/fuzz/main.ts' }),
  });
  if (!res.ok) throw new Error(`seeding a dead letter: publish answered ${res.status} ${await res.text()}`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const list = await fetch(`${info.gatewayUrl}/api/admin/dead-letters`, { headers: { authorization: `Bearer ${token}` } });
    if (list.ok && ((await list.json()) as { items: unknown[] }).items.length > 0) return out('fuzz: one dead letter seeded for the admin operations');
    await new Promise((r) => setTimeout(r, 500));
  }
  out('fuzz: the seeded dead letter did not arrive within 60 s; the admin operations will mostly see 404');
}

function summarize() {
  const find = (ext: string) => readdirSync(reportDir).find((f) => f.endsWith(ext));
  const junit = find('.xml');
  const xml = junit ? readFileSync(path.join(reportDir, junit), 'utf8') : '';
  const testcases = (xml.match(/<testcase[\s>]/g) ?? []).length;
  const failures = (xml.match(/<testcase[^>]*>\s*<(failure|error)/g) ?? []).length;
  const jsonFile = find('.json');
  const report = jsonFile
    ? (JSON.parse(readFileSync(path.join(reportDir, jsonFile), 'utf8')) as { test_cases?: { generated?: number; with_failures?: number }; operations?: { tested?: number } })
    : {};
  return { testcases, failures, operations: report.operations?.tested ?? 0, cases: report.test_cases?.generated ?? 0, failingCases: report.test_cases?.with_failures ?? 0 };
}
