// Starts one app and its daprd sidecar as child processes, waits until both are ready, stops them.
// Used by `make run` (tools/launcher/main.ts) and by the integration-test harness, so the platform runs
// the same way in both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface AppSpec {
  appId: string;
  /** argv of the app, run with `cwd`. */
  command: string[];
  cwd: string;
  appPort: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  daprInternalGrpcPort: number;
  metricsPort: number;
  resourcesPaths: string[];
  configFile: string;
  env?: Record<string, string>;
  logLevel?: string;
  /** Distinguishes replicas of one app-id in log file names (`reminder-service-2.app.log`). */
  instance?: string;
  /** daprd probes the app; while it is unhealthy daprd stops its subscriptions and input bindings. */
  appHealthCheck?: AppHealthCheck;
}

export interface AppHealthCheck {
  path: string;
  intervalSeconds: number;
  timeoutMs: number;
  /** Consecutive failed probes before the app counts as unhealthy. */
  threshold: number;
}

export interface LaunchOptions {
  daprdPath: string;
  logDir: string;
  daprApiToken?: string;
  appApiToken?: string;
  /** Also write each app's log lines to this stream (make run shows them in the terminal). */
  echoAppLogs?: (appId: string, line: string) => void;
}

export interface RunningApp {
  spec: AppSpec;
  app: ChildProcess;
  daprd: ChildProcess;
  appLog: string;
  daprdLog: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const handedOut = new Set<number>();

/**
 * A port the OS says is free right now, never one this process handed out before (the OS happily
 * returns a just-closed port again, which made two sidecars race for one port).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await osFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/**
 * The first of `count` consecutive free ports (RabbitMQ takes its AMQP port and the 12 after it for
 * Erlang distribution, epmd and the CLI tools). Tried at random bases in 20000-39999.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if (ports.some((p) => handedOut.has(p))) continue;
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) {
      for (const p of ports) handedOut.add(p);
      return base;
    }
  }
  throw new Error(`no ${count} consecutive free ports`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function pipeTo(child: ChildProcess, file: WriteStream, echo?: (line: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    stream.pipe(file, { end: false });
    if (echo) {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) echo(line);
      });
    }
  }
}

export function daprdArgs(spec: AppSpec): string[] {
  return [
    '--app-id', spec.appId,
    '--app-port', String(spec.appPort),
    '--app-protocol', 'http',
    '--app-channel-address', '127.0.0.1',
    '--dapr-http-port', String(spec.daprHttpPort),
    '--dapr-grpc-port', String(spec.daprGrpcPort),
    '--dapr-internal-grpc-port', String(spec.daprInternalGrpcPort),
    '--dapr-listen-addresses', '127.0.0.1',
    '--metrics-port', String(spec.metricsPort),
    ...(spec.appHealthCheck
      ? [
          '--enable-app-health-check',
          '--app-health-check-path', spec.appHealthCheck.path,
          '--app-health-probe-interval', String(spec.appHealthCheck.intervalSeconds),
          '--app-health-probe-timeout', String(spec.appHealthCheck.timeoutMs),
          '--app-health-threshold', String(spec.appHealthCheck.threshold),
        ]
      : []),
    ...spec.resourcesPaths.flatMap((p) => ['--resources-path', p]),
    '--config', spec.configFile,
    '--log-as-json',
    '--log-level', spec.logLevel ?? 'info',
  ];
}

function logPaths(spec: AppSpec, options: LaunchOptions) {
  mkdirSync(options.logDir, { recursive: true });
  const name = spec.instance ? `${spec.appId}-${spec.instance}` : spec.appId;
  return { appLog: path.join(options.logDir, `${name}.app.log`), daprdLog: path.join(options.logDir, `${name}.daprd.log`) };
}

const tokensOf = (options: LaunchOptions) => ({
  ...(options.daprApiToken ? { DAPR_API_TOKEN: options.daprApiToken } : {}),
  ...(options.appApiToken ? { APP_API_TOKEN: options.appApiToken } : {}),
});

export function startDaprd(spec: AppSpec, options: LaunchOptions): ChildProcess {
  const daprd = spawn(options.daprdPath, daprdArgs(spec), {
    cwd: spec.cwd,
    // DAPR_HOST_IP: register 127.0.0.1 for invocation, so sidecars talk over loopback only.
    env: { ...process.env, ...tokensOf(options), DAPR_HOST_IP: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeTo(daprd, createWriteStream(logPaths(spec, options).daprdLog, { flags: 'a' }));
  return daprd;
}

export function startAppProcess(spec: AppSpec, options: LaunchOptions): ChildProcess {
  const [bin, ...args] = spec.command;
  if (!bin) throw new Error(`${spec.appId}: empty command`);
  const app = spawn(bin, args, {
    cwd: spec.cwd,
    env: {
      ...process.env,
      ...spec.env,
      ...tokensOf(options),
      APP_ID: spec.appId,
      APP_PORT: String(spec.appPort),
      DAPR_HTTP_PORT: String(spec.daprHttpPort),
      DAPR_GRPC_PORT: String(spec.daprGrpcPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const echo = options.echoAppLogs;
  pipeTo(app, createWriteStream(logPaths(spec, options).appLog, { flags: 'a' }), echo ? (line) => echo(spec.appId, line) : undefined);
  return app;
}

/** The app and its daprd, side by side (as `dapr run` does). */
export function startApp(spec: AppSpec, options: LaunchOptions): RunningApp {
  return { spec, daprd: startDaprd(spec, options), app: startAppProcess(spec, options), ...logPaths(spec, options) };
}

async function answers(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(1_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Ready = daprd's outbound health (components loaded; `/v1.0/healthz` would stay 500 without placement
 * and scheduler, which we do not run) and the app's `/readyz`.
 */
export async function waitReady(running: RunningApp, options: { timeoutMs: number; daprApiToken?: string }): Promise<void> {
  const { spec } = running;
  const deadline = Date.now() + options.timeoutMs;
  const tokenHeader: Record<string, string> = options.daprApiToken ? { 'dapr-api-token': options.daprApiToken } : {};
  while (Date.now() < deadline) {
    for (const [name, child] of [['app', running.app], ['daprd', running.daprd]] as const) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${spec.appId}: ${name} exited (${child.exitCode ?? child.signalCode}) before ready; see ${name === 'app' ? running.appLog : running.daprdLog}`);
      }
    }
    const sidecar = await answers(`http://127.0.0.1:${spec.daprHttpPort}/v1.0/healthz/outbound`, tokenHeader);
    const app = sidecar && (await answers(`http://127.0.0.1:${spec.appPort}/readyz`));
    if (sidecar && app) return;
    await sleep(200);
  }
  throw new Error(`${spec.appId}: not ready after ${options.timeoutMs} ms; see ${running.appLog} and ${running.daprdLog}`);
}

export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** App first, so daprd does not see its app vanish and log delivery errors during a normal stop. */
export async function stopApp(running: RunningApp): Promise<void> {
  await stopProcess(running.app);
  await stopProcess(running.daprd);
}
