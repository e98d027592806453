// `make run` without a dapr CLI: starts every app in dapr.yaml with its daprd sidecar, shows the apps'
// logs, and stops everything on Ctrl-C / SIGTERM (`make stop`). Infrastructure is started before this.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readRunFile } from './run-file.ts';
import type { ChildProcess } from 'node:child_process';
import { startApp, startAppProcess, startDaprd, stopApp, waitReady, type AppSpec, type RunningApp } from './processes.ts';
import { ensureDevSecrets } from './secrets.ts';
import { brokerResourcesPath, selectedBroker } from './broker.ts';
import { readyTable } from './ready-table.ts';

const root = path.resolve(import.meta.dirname, '../..');
const runDir = process.env.RUN_DIR ?? path.join(root, '.run');
const logDir = path.join(runDir, 'logs');
const runFile = process.env.RUN_FILE ?? path.join(root, 'dapr.yaml');
const out = (line: string) => process.stdout.write(`${line}\n`);

/** One readable line per pino JSON line: `[app] LEVEL msg key=value…`. */
function formatLine(appId: string, line: string): string {
  try {
    const { level, msg, time: _t, service: _s, pid: _p, hostname: _h, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const name = ({ 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' } as Record<string, string>)[String(level)] ?? String(level);
    const fields = Object.entries(rest).filter(([k]) => k !== 'traceparent' && k !== 'requestId')
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
    return `[${appId}] ${name} ${msg ?? ''} ${fields}`.trimEnd();
  } catch {
    return `[${appId}] ${line}`;
  }
}

const secrets = ensureDevSecrets(runDir);
mkdirSync(path.join(runDir, 'pids'), { recursive: true });
const pidFile = path.join(runDir, 'pids', 'launcher.pid');
writeFileSync(pidFile, String(process.pid));

const broker = selectedBroker();
const specs = readRunFile(runFile, { replaceResourcesPath: (p) => brokerResourcesPath(broker, p) });
out(`broker profile: ${broker} (components/${broker})`);
const launch = {
  daprdPath: path.join(root, '.dapr', 'bin', 'daprd'),
  logDir,
  daprApiToken: secrets.daprApiToken,
  appApiToken: secrets.appApiToken,
  echoAppLogs: (appId: string, line: string) => out(formatLine(appId, line)),
};

/**
 * One pid file per process, so `make stop` finds every app and daprd even when this launcher was
 * killed with -9 (its children then live on without it).
 */
const pidPath = (spec: AppSpec, what: 'app' | 'daprd') => path.join(runDir, 'pids', `${spec.instance ? `${spec.appId}-${spec.instance}` : spec.appId}.${what}.pid`);
const recordPid = (spec: AppSpec, what: 'app' | 'daprd', child: ChildProcess) => {
  if (child.pid) writeFileSync(pidPath(spec, what), String(child.pid));
};

/**
 * A crashed app or sidecar is restarted, loudly, with backoff (1 s, 2 s, 4 s …); one that crashes more
 * than MAX_RESTARTS times within RESTART_WINDOW_MS is given up on, loudly too. The user must see it.
 */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const loud = (line: string) => out(`\x1b[31m!! ${line}\x1b[0m`);

let stopping = false;
const running: RunningApp[] = [];

function supervise(r: RunningApp, what: 'app' | 'daprd') {
  const restarts: number[] = [];
  const watch = (child: ChildProcess) => {
    recordPid(r.spec, what, child);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        loud(`[${r.spec.appId}] ${what} exited (${code ?? signal}) ${MAX_RESTARTS + 1} times within a minute: giving up. Logs: ${what === 'app' ? r.appLog : r.daprdLog}`);
        return;
      }
      const delay = 1_000 * 2 ** restarts.length;
      restarts.push(now);
      loud(`[${r.spec.appId}] ${what} exited (${code ?? signal}); restarting in ${delay / 1000} s. Logs: ${what === 'app' ? r.appLog : r.daprdLog}`);
      setTimeout(() => {
        if (stopping) return;
        const next = what === 'app' ? startAppProcess(r.spec, launch) : startDaprd(r.spec, launch);
        r[what] = next;
        watch(next);
      }, delay);
    });
  };
  watch(r[what]);
}

for (const spec of specs) {
  const r = startApp(spec, launch);
  running.push(r);
  supervise(r, 'app');
  supervise(r, 'daprd');
}

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  out('stopping apps and sidecars…');
  await Promise.all(running.map(stopApp));
  for (const r of running) for (const what of ['app', 'daprd'] as const) rmSync(pidPath(r.spec, what), { force: true });
  rmSync(pidFile, { force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  await Promise.all(running.map((r) => waitReady(r, { timeoutMs: 120_000, daprApiToken: secrets.daprApiToken })));
} catch (err) {
  out(`startup failed: ${(err as Error).message}`);
  await stopAll(1);
}
out('');
out(`ready: ${running.map((r) => r.spec.appId).join(', ')}`);
for (const line of readyTable(running.map((r) => r.spec), broker, { logDir, runDir })) out(line);
out('');
