// A small HTTP control plane the global setup runs, so test files (which run in worker processes) can
// stop and restart platform processes it owns: `POST /apps/<id>/stop?signal=SIGKILL&what=app|daprd|both`,
// `POST /apps/<id>/start` (replicas are `<id>#2`…), `POST /infra/broker|redis/restart?downSeconds=N`. Also a webhook sink: notification-service's HTTP output binding posts to
// `/webhook`, `GET /webhook` returns what arrived. Listens on loopback only.
import { createServer, type Server } from 'node:http';
import type { AppSpec, LaunchOptions, RunningApp } from '../../tools/launcher/processes.ts';
import { startAppProcess, startDaprd, stopProcess, waitReady } from '../../tools/launcher/processes.ts';
import { infra } from './platform.ts';

export interface ControlDeps {
  running: Map<string, RunningApp>;
  launch: LaunchOptions;
  daprApiToken: string;
  infraEnv: NodeJS.ProcessEnv;
}

export function startControl(deps: ControlDeps, port: number): Promise<Server> {
  const received: unknown[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname === '/webhook' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        received.push(JSON.parse(body || 'null'));
        return send(200, { ok: true });
      }
      if (url.pathname === '/webhook' && req.method === 'GET') return send(200, received);
      const infraMatch = /^\/infra\/(broker|redis)\/restart$/.exec(url.pathname);
      if (infraMatch && req.method === 'POST') {
        await infra('restart', deps.infraEnv, infraMatch[1] as 'broker' | 'redis', Number(url.searchParams.get('downSeconds') ?? 0));
        return send(200, { restarted: infraMatch[1] });
      }
      const match = /^\/apps\/([^/]+)\/(stop|start)$/.exec(url.pathname);
      const key = match ? decodeURIComponent(match[1]!) : '';
      const current = deps.running.get(key);
      if (!match || !current || req.method !== 'POST') return send(404, { error: 'unknown' });
      if (match[2] === 'stop') {
        const signal = (url.searchParams.get('signal') ?? 'SIGTERM') as NodeJS.Signals;
        const what = url.searchParams.get('what') ?? 'both';
        const targets = what === 'app' ? [current.app] : what === 'daprd' ? [current.daprd] : [current.app, current.daprd];
        for (const child of targets) {
          if (signal === 'SIGTERM') await stopProcess(child);
          else {
            child.kill(signal);
            await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
          }
        }
        return send(200, { stopped: what });
      }
      // start: only what is not running comes back (same ports); the survivor keeps its state, e.g.
      // a daprd keeps its Kafka group membership and in-flight retries while its app restarts.
      const alive = (c: RunningApp['app']) => c.exitCode === null && c.signalCode === null;
      const spec: AppSpec = current.spec;
      if (!alive(current.app) || !alive(current.daprd)) {
        const restarted = {
          ...current,
          app: alive(current.app) ? current.app : startAppProcess(spec, deps.launch),
          daprd: alive(current.daprd) ? current.daprd : startDaprd(spec, deps.launch),
        };
        deps.running.set(key, restarted);
        await waitReady(restarted, { timeoutMs: 90_000, daprApiToken: deps.daprApiToken });
      }
      return send(200, { started: spec.appId });
    } catch (err) {
      return send(500, { error: (err as Error).message });
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
