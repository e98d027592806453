// The little the bench's own apps share: listen on APP_PORT (127.0.0.1 only), health probes, JSON helpers.
import http from 'node:http';

export const PORT = Number(process.env.APP_PORT);
// Exit on SIGTERM rather than die of it, so a --cpu-prof run (bench/profile.mjs) writes its profile.
process.once('SIGTERM', () => process.exit(0));
export const DAPR = `http://127.0.0.1:${process.env.DAPR_HTTP_PORT}`;
export const DAPR_TOKEN = process.env.DAPR_API_TOKEN ?? '';
export const now = () => performance.timeOrigin + performance.now();

/** A keep-alive agent for calls to the sidecar or another app. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** POST/GET with node:http (cheaper per call than fetch, which matters for a load driver on 2 cores). */
export function request(url, { method = 'POST', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export function json(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A control server: routes = {"POST /run": async (body, req) => value}; plus /healthz, /readyz, /dapr/subscribe. */
export function controlServer(routes, subscriptions = []) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/healthz' || url.pathname === '/readyz') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/dapr/subscribe') return json(res, 200, subscriptions);
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return json(res, 404, { error: 'not found' });
    try {
      const raw = await readBody(req);
      json(res, 200, (await route(raw.length ? JSON.parse(raw.toString()) : undefined, url)) ?? {});
    } catch (err) {
      json(res, 500, { error: String(err?.stack ?? err) });
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(PORT, '127.0.0.1');
  return server;
}

/**
 * Latency samples per key, counting only messages of the current round (stale ones from an earlier
 * round drained late are ignored), with first/last arrival times for throughput.
 */
export class Recorder {
  constructor() {
    this.keys = new Map();
  }
  reset(key, round) {
    this.keys.set(key, { round, latencies: [], first: 0, last: 0, stale: 0 });
  }
  record(key, round, latencyMs) {
    const k = this.keys.get(key);
    if (!k) return;
    if (round !== k.round) {
      k.stale++;
      return;
    }
    const t = now();
    if (!k.first) k.first = t;
    k.last = t;
    k.latencies.push(latencyMs);
  }
  /** With `full`, the latency samples too (only fetched once a round is complete). */
  stats(key, full = true) {
    const k = this.keys.get(key);
    if (!k) return { count: 0, latencies: [] };
    return { count: k.latencies.length, first: k.first, last: k.last, stale: k.stale, ...(full ? { latencies: k.latencies } : {}) };
  }
}
