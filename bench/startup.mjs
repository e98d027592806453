// Start-up time and resident memory of each service's process on its own (no sidecar needed: every app
// listens and answers /healthz before it talks to daprd). Compares ways of running the same code:
//   node bench/startup.mjs <label>=<node binary>:<tsx|dist> …   e.g.
//   node bench/startup.mjs before=/usr/bin/node:tsx after=$(command -v node):dist
// Prints one JSON line per label and service: median of ROUNDS of ms to the first 200 on /healthz and
// RSS after it settled. A baseline measured in the same run, on the same machine.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// How long after the first 200 the RSS is read (start-up garbage collected); make bench's QUICK run shortens it.
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 1_500);
const services = readdirSync(path.join(root, 'services')).filter((s) => existsSync(path.join(root, 'services', s, 'src', 'main.ts')));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A port the OS says is free now. */
const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

async function once(nodeBin, mode, service) {
  const port = await freePort();
  const args = mode === 'tsx' ? ['--import', 'tsx', `services/${service}/src/main.ts`] : [`services/${service}/dist/main.js`];
  const started = performance.now();
  const child = spawn(nodeBin, args, { cwd: root, env: { ...process.env, APP_PORT: String(port), DAPR_HTTP_PORT: '1', LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${service} exited (${child.exitCode}) before answering`);
      if (performance.now() - started > 30_000) throw new Error(`${service} did not answer within 30 s`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(10);
    }
    const readyMs = performance.now() - started;
    await sleep(SETTLE_MS); // let start-up garbage be collected
    return { readyMs, rssMb: rssMb(child.pid) };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

for (const spec of process.argv.slice(2)) {
  const [label, rest] = spec.split('=');
  const [nodeBin, mode] = rest.split(':');
  for (const service of services) {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await once(nodeBin, mode, service));
    // ALL_ROUNDS=1 (make bench) adds every round, for the report's spread.
    const all = process.env.ALL_ROUNDS === '1' ? { rounds: rounds.map((r) => ({ readyMs: Math.round(r.readyMs), rssMb: Math.round(r.rssMb) })) } : {};
    process.stdout.write(`${JSON.stringify({ label, node: nodeBin, mode, service, readyMs: Math.round(median(rounds.map((r) => r.readyMs))), rssMb: Math.round(median(rounds.map((r) => r.rssMb))), ...all })}\n`);
  }
}
