// `make run` without a dapr CLI: starts every app in dapr.yaml with its daprd sidecar, shows the apps'
// logs, and stops everything on Ctrl-C / SIGTERM (`make stop`). Infrastructure is started before this.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readRunFile } from './run-file.ts';
import { startApp, stopApp, waitReady, type RunningApp } from './processes.ts';
import { ensureDevSecrets } from './secrets.ts';
import { brokerResourcesPath, selectedBroker } from './broker.ts';

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
const daprdPath = path.join(root, '.dapr', 'bin', 'daprd');
const running: RunningApp[] = specs.map((spec) =>
  startApp(spec, {
    daprdPath,
    logDir,
    daprApiToken: secrets.daprApiToken,
    appApiToken: secrets.appApiToken,
    echoAppLogs: (appId, line) => out(formatLine(appId, line)),
  }),
);

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  out('stopping apps and sidecars…');
  await Promise.all(running.map(stopApp));
  rmSync(pidFile, { force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
for (const r of running) {
  r.app.on('exit', (code, signal) => stopping || out(`[${r.spec.appId}] app exited (${code ?? signal}); logs: ${r.appLog}`));
  r.daprd.on('exit', (code, signal) => stopping || out(`[${r.spec.appId}] daprd exited (${code ?? signal}); logs: ${r.daprdLog}`));
}

try {
  await Promise.all(running.map((r) => waitReady(r, { timeoutMs: 120_000, daprApiToken: secrets.daprApiToken })));
} catch (err) {
  out(`startup failed: ${(err as Error).message}`);
  await stopAll(1);
}
out('');
out(`ready: ${running.map((r) => r.spec.appId).join(', ')}`);
out('  gateway:   http://localhost:8080/api/health');
out('  a token:   make token USER=alice');
out(`  logs:      ${logDir} (sidecars: *.daprd.log)`);
out('  stop:      Ctrl-C, or make stop from another terminal');
out('');
