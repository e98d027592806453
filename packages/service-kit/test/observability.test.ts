import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { Router } from 'express';
import { pino } from 'pino';
import { z } from 'zod';
import { traceHeaders } from '@todo/dapr';
import { FakeSidecar } from '@todo/dapr/fakes';
import { AppError, PoisonMessageError, TransientError, createLogger, createMetrics, serviceApp, subscriptionHandler } from '../src/index.ts';

const logger = createLogger('kit-test', 'silent');
const TOKEN = 'sidecar-token';

/** The value of one sample line, e.g. sample(text, 'x_total', {a: '1'}); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const got = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

function thingsApp(options: { logger?: typeof logger } = {}) {
  const router = Router();
  router.use('/things', (req, _res, next) => (req.get('x-deny') ? next(new AppError('forbidden', 403, 'no')) : next()));
  router.get('/things/:id', (req, res) => {
    res.json({ id: req.params.id, trace: traceHeaders().traceparent ?? null, traceId: req.traceId });
  });
  const metrics = createMetrics({ appId: 'kit-test' });
  const app = serviceApp({ logger: options.logger ?? logger, sidecar: new FakeSidecar(), appApiToken: TOKEN, metrics }, router);
  return { app, metrics };
}

describe('GET /metrics', () => {
  it('counts requests by route template, method and status — also those stopped before their route — but not the probes', async () => {
    const { app } = thingsApp();
    await request(app).get('/things/1').set('dapr-api-token', TOKEN).expect(200);
    await request(app).get('/things/2').set('dapr-api-token', TOKEN).expect(200);
    await request(app).get('/things/3').set('dapr-api-token', TOKEN).set('x-deny', '1').expect(403);
    await request(app).get('/things/4').expect(401); // no app token: stopped by the first middleware
    await request(app).get('/nowhere/5').set('dapr-api-token', TOKEN).expect(404);
    await request(app).get('/healthz').expect(200);

    const res = await request(app).get('/metrics').expect(200); // a scrape needs no app token
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const count = (route: string, status: string) =>
      sample(res.text, 'todo_http_request_duration_seconds_count', { app_id: 'kit-test', method: 'GET', route, status });
    expect(count('/things/:id', '200')).toBe(2);
    expect(count('/things/:id', '403')).toBe(1);
    expect(count('/things/:id', '401')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(res.text).not.toContain('route="/healthz"');
    expect(res.text).toContain('# TYPE todo_http_request_duration_seconds histogram');
  });

  it('two apps in one process keep separate registries (none uses prom-client\'s global one)', async () => {
    const one = thingsApp();
    const two = thingsApp();
    await request(one.app).get('/things/1').set('dapr-api-token', TOKEN).expect(200);
    const text = (await request(two.app).get('/metrics')).text;
    expect(sample(text, 'todo_http_request_duration_seconds_count', { app_id: 'kit-test', method: 'GET', route: '/things/:id', status: '200' })).toBeUndefined();
  });
});

describe('subscriptionHandler metrics', () => {
  const Event = z.object({ id: z.string(), type: z.string(), occurredAt: z.string() });
  function subscriber() {
    const router = Router();
    router.post('/events', subscriptionHandler(Event, async ({ data }) => {
      if (data.id === 'poison') throw new PoisonMessageError('bad');
      if (data.id === 'later') throw new TransientError('down');
    }));
    const metrics = createMetrics();
    return { app: serviceApp({ logger, sidecar: new FakeSidecar(), appApiToken: TOKEN, metrics }, router), metrics };
  }
  const deliver = (app: ReturnType<typeof subscriber>['app'], data: unknown) =>
    request(app).post('/events').set('dapr-api-token', TOKEN).send({ id: 'ce-1', topic: 'task-events', data });

  it('counts each answer to daprd by topic, event type and result, with handling time and the event age', async () => {
    const { app, metrics } = subscriber();
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    await deliver(app, { id: 'a', type: 'task.completed', occurredAt: minuteAgo }).expect(200, { status: 'SUCCESS' });
    await deliver(app, { id: 'later', type: 'task.completed', occurredAt: minuteAgo }).expect(200, { status: 'RETRY' });
    await deliver(app, { id: 'poison', type: 'task.created', occurredAt: minuteAgo }).expect(200, { status: 'DROP' });
    await deliver(app, { nonsense: true, type: 'made.up.type' }).expect(200, { status: 'DROP' });

    const text = await metrics.registry.metrics();
    const consumed = (type: string, result: string) => sample(text, 'todo_events_consumed_total', { topic: 'task-events', type, result });
    expect(consumed('task.completed', 'success')).toBe(1);
    expect(consumed('task.completed', 'retry')).toBe(1);
    expect(consumed('task.created', 'drop')).toBe(1);
    expect(consumed('unknown', 'drop')).toBe(1); // a made-up type never becomes a label
    expect(sample(text, 'todo_event_handler_duration_seconds_count', { topic: 'task-events', type: 'task.completed', result: 'success' })).toBe(1);
    // Age ≈ 60 s: in the (30, 60] bucket's neighbours, never below 30 s.
    expect(sample(text, 'todo_event_age_seconds_bucket', { topic: 'task-events', type: 'task.completed', le: '30' })).toBe(0);
    expect(sample(text, 'todo_event_age_seconds_bucket', { topic: 'task-events', type: 'task.completed', le: '300' })).toBe(2);
  });
});

describe('trace context', () => {
  const TRACE = '0af7651916cd43dd8448eb211c80319c';
  const PARENT = `00-${TRACE}-b7ad6b7169203331-01`;

  function capturing() {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
    return { lines, logger: pino({ level: 'debug', base: { service: 'kit-test' } }, stream) };
  }

  it('continues the caller\'s trace: x-trace-id answers it, every log line of the request carries it, and sidecar calls made for the request send it', async () => {
    const log = capturing();
    const { app } = thingsApp({ logger: log.logger });
    const res = await request(app).get('/things/7').set('dapr-api-token', TOKEN).set('traceparent', PARENT).expect(200);
    expect(res.headers['x-trace-id']).toBe(TRACE);
    expect(res.body).toEqual({ id: '7', trace: PARENT, traceId: TRACE });
    const requestLines = log.lines.filter((l) => l.requestId === res.headers['x-request-id']);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.traceId).toBe(TRACE);
  });

  it('starts a new trace when the caller sent none or an invalid one, and answers its id', async () => {
    const { app } = thingsApp();
    for (const header of [undefined, 'garbage', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`]) {
      const req = request(app).get('/things/8').set('dapr-api-token', TOKEN);
      const res = await (header ? req.set('traceparent', header) : req).expect(200);
      expect(res.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(res.headers['x-trace-id']).not.toBe('0'.repeat(32));
      expect(res.body.trace).toBe(`00-${res.headers['x-trace-id']}-${res.body.trace.split('-')[2]}-01`);
    }
  });

  it('outside a request there is no trace context (daprd starts its own)', () => {
    expect(traceHeaders()).toEqual({});
  });
});
