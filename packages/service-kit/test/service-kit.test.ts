import { describe, expect, it } from 'vitest';
import request from 'supertest';
import express, { Router } from 'express';
import { z } from 'zod';
import { DependencyTimeoutError, EtagMismatchError, InvalidCursorError, SidecarError, StoredDataError, UnexpectedResponseError } from '@todo/dapr';
import { FakeSidecar } from '@todo/dapr/fakes';
import { AppError, FaultInjector, PoisonMessageError, createLogger, serviceApp, subscriptionHandler, toProblem } from '../src/index.ts';

const logger = createLogger('kit-test', 'silent');
const TOKEN = 'sidecar-token';

function appThrowing(err: unknown) {
  const router = Router();
  router.get('/boom', () => {
    throw err;
  });
  return serviceApp({ logger, sidecar: new FakeSidecar(), appApiToken: TOKEN }, router);
}

describe('the one error map', () => {
  it.each([
    ['a lost compare-and-set race', new EtagMismatchError('k'), 409, 'conflict'],
    ['an unreachable sidecar, store or app', new SidecarError('down'), 503, 'dependency-unavailable'],
    ['a dependency that did not answer in time', new DependencyTimeoutError('invoke x', 10), 504, 'dependency-timeout'],
    ['another service answering outside its contract', new UnexpectedResponseError('x'), 502, 'bad-gateway'],
    ['a cursor the list never gave out', new InvalidCursorError(), 400, 'invalid-cursor'],
    ['invalid input', new z.ZodError([]), 400, 'validation-failed'],
    ['an AppError', new AppError('already-completed', 409, 'done'), 409, 'already-completed'],
    ['stored data that matches no schema (our bug)', new StoredDataError('k'), 500, 'internal'],
    ['anything else', new Error('secret detail'), 500, 'internal'],
  ])('when a route throws %s, then %i problem+json', async (_name, err, status, code) => {
    const res = await request(appThrowing(err)).get('/boom').set('dapr-api-token', TOKEN);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: `urn:todo:problem:${code}`, status });
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
    if (status === 503) expect(res.headers['retry-after']).toBe('5');
  });

  it('maps without an app too (toProblem is the function every service uses)', () => {
    expect(toProblem(new SidecarError('x')).status).toBe(503);
  });
});

describe('the house middleware', () => {
  const echo = () => {
    const router = Router();
    router.post('/echo', (req, res) => {
      res.json(req.body);
    });
    return serviceApp({ logger, sidecar: new FakeSidecar(), appApiToken: TOKEN }, router);
  };

  it('when a call lacks the sidecar app token, then 401; probes need none', async () => {
    const app = echo();
    expect((await request(app).post('/echo').send({ a: 1 })).status).toBe(401);
    expect((await request(app).post('/echo').set('dapr-api-token', 'wrong-token').send({ a: 1 })).status).toBe(401);
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).post('/echo').set('dapr-api-token', TOKEN).send({ a: 1 })).body).toEqual({ a: 1 });
  });

  it('when the body is not JSON, then 415; malformed JSON, then 400; over 64 KB, then 413; an unknown route, 404', async () => {
    const app = echo();
    const t = { 'dapr-api-token': TOKEN };
    expect((await request(app).post('/echo').set(t).set('content-type', 'text/plain').send('hi')).status).toBe(415);
    expect((await request(app).post('/echo').set(t).set('content-type', 'application/json').send('{"a":')).status).toBe(400);
    expect((await request(app).post('/echo').set(t).send({ d: 'y'.repeat(65 * 1024) })).status).toBe(413);
    expect((await request(app).get('/nope').set(t)).status).toBe(404);
  });

  it('when the sidecar is not ready, then /readyz answers 503 and /healthz 200', async () => {
    const sidecar = new FakeSidecar();
    sidecar.ready = false;
    const app = serviceApp({ logger, sidecar });
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

describe('subscriptionHandler: an explicit answer to daprd for every delivery', () => {
  const Payload = z.object({ id: z.string(), n: z.number() });
  const deliveryApp = (handle: (n: number) => Promise<void>) => {
    const router = Router();
    router.post('/events', subscriptionHandler(Payload, ({ data }) => handle(data.n)));
    return serviceApp({ logger, sidecar: new FakeSidecar(), appApiToken: TOKEN }, router);
  };
  const deliver = (app: ReturnType<typeof deliveryApp>, data: unknown) =>
    request(app).post('/events').set({ 'dapr-api-token': TOKEN, 'content-type': 'application/cloudevents+json' }).send(JSON.stringify({ id: 'ce', data }));

  it.each([
    ['the handler succeeds', { id: 'e', n: 1 }, async (): Promise<void> => undefined, 'SUCCESS'],
    ['the payload breaks the schema', { id: 'e', n: 'one' }, async (): Promise<void> => undefined, 'DROP'],
    ['the handler says retrying cannot help', { id: 'e', n: 1 }, async (): Promise<void> => { throw new PoisonMessageError('bad'); }, 'DROP'],
    ['the handler fails (a dependency is down)', { id: 'e', n: 1 }, async (): Promise<void> => { throw new SidecarError('down'); }, 'RETRY'],
    ['the handler has a bug', { id: 'e', n: 1 }, async (): Promise<void> => { throw new TypeError('oops'); }, 'RETRY'],
  ])('when %s, then %s — an exception is never an ack', async (_name, data, handle, status) => {
    const res = await deliver(deliveryApp(handle), data);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status });
  });
});

describe('fault hooks: holds', () => {
  it('when holds are released, then every delivery held so far goes on at once, and later ones are held again', async () => {
    const faults = new FaultInjector();
    const app = express().use(express.json()).use(faults.routes());
    await request(app).put('/_faults').send({ rules: [{ match: 'slow', holdMs: 60_000, holdTimes: 3 }] }).expect(200);
    const started = Date.now();
    const held = [faults.onDelivery('/e', 'a', { t: 'slow' }), faults.onDelivery('/e', 'b', { t: 'slow' })];
    const fast = faults.onDelivery('/e', 'c', { t: 'quick' }); // no rule matches: not held
    await fast;
    const released = await request(app).post('/_faults/release').expect(200);
    expect(released.body).toEqual({ released: 2 });
    await Promise.all(held);
    expect(Date.now() - started).toBeLessThan(5_000);
    const { body } = await request(app).get('/_faults').expect(200);
    expect(body.holds.map((h: { eventKey: string; endedAt?: string }) => [h.eventKey, typeof h.endedAt])).toEqual([['a', 'string'], ['b', 'string']]);
    // The rule has one hold left: the next slow delivery waits again until released.
    let done = false;
    const third = faults.onDelivery('/e', 'd', { t: 'slow' }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(faults.release()).toBe(1);
    await third;
    expect(faults.release()).toBe(0);
  });
});
