import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { SignJWT } from 'jose';
import { FakeInvoker, FakeSidecar, jsonResponse } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

const KEY = new TextEncoder().encode('unit-test-signing-key-unit-test-signing-key');
const sign = (claims: Record<string, unknown>, key = KEY, exp = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(key);

function setup(invoker = new FakeInvoker()) {
  const sidecar = new FakeSidecar();
  const app = buildApp({ logger: createLogger('gateway', 'silent'), invoker, sidecar, signingKey: async () => KEY });
  return { app, invoker, sidecar };
}

describe('gateway authentication', () => {
  it('when there is no Authorization header, then 401 problem+json', async () => {
    const res = await request(setup().app).post('/api/tasks').send({ title: 'x' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['signed with another key', () => sign({ sub: 'alice' }, new TextEncoder().encode('another-key-another-key-another-key'))],
    ['expired', () => sign({ sub: 'alice' }, KEY, '-1m')],
    ['without a subject', () => sign({})],
    ['not a JWT at all', async () => 'garbage'],
  ])('when the token is %s, then 401 and nothing is forwarded', async (_name, token) => {
    const { app, invoker } = setup();
    const res = await request(app).post('/api/tasks').set('authorization', `Bearer ${await token()}`).send({ title: 'x' });
    expect(res.status).toBe(401);
    expect(invoker.calls).toHaveLength(0);
  });

  it('GET /api/health needs no token, and reports the sidecar', async () => {
    const { app, sidecar } = setup();
    expect((await request(app).get('/api/health')).status).toBe(200);
    sidecar.ready = false;
    expect((await request(app).get('/api/health')).status).toBe(503);
  });
});

describe('POST /api/tasks forwarding', () => {
  it('invokes task-service with the user id and relays status, body and Location under /api', async () => {
    const invoker = new FakeInvoker().on('task-service', () => jsonResponse(201, { id: 't1' }, { location: '/tasks/t1' }));
    const { app } = setup(invoker);
    const res = await request(app).post('/api/tasks').set('authorization', `Bearer ${await sign({ sub: 'alice' })}`).send({ title: 'x' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/tasks/t1');
    expect(res.body).toEqual({ id: 't1' });
    expect(invoker.calls[0]).toMatchObject({ appId: 'task-service', request: { method: 'POST', path: 'tasks', body: { title: 'x' }, headers: { 'x-user-id': 'alice' } } });
  });

  it('relays a downstream problem as it is (400 stays 400)', async () => {
    const problem = { type: 'urn:todo:problem:validation-failed', title: 'Bad Request', status: 400 };
    const invoker = new FakeInvoker().on('task-service', () => ({ status: 400, headers: new Headers({ 'content-type': 'application/problem+json' }), body: problem }));
    const res = await request(setup(invoker).app).post('/api/tasks').set('authorization', `Bearer ${await sign({ sub: 'a' })}`).send({ title: '' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toEqual(problem);
  });

  it('when task-service cannot be reached (daprd error), then 503 problem+json, not 500', async () => {
    const res = await request(setup(new FakeInvoker()).app).post('/api/tasks').set('authorization', `Bearer ${await sign({ sub: 'a' })}`).send({ title: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when the body is not JSON, then 415; malformed JSON, then 400; over 64 KB, then 413', async () => {
    const { app, invoker } = setup();
    const auth = `Bearer ${await sign({ sub: 'a' })}`;
    expect((await request(app).post('/api/tasks').set('authorization', auth).set('content-type', 'text/plain').send('hi')).status).toBe(415);
    expect((await request(app).post('/api/tasks').set('authorization', auth).set('content-type', 'application/json').send('{"title":')).status).toBe(400);
    expect((await request(app).post('/api/tasks').set('authorization', auth).send({ title: 'x', d: 'y'.repeat(65 * 1024) })).status).toBe(413);
    expect(invoker.calls).toHaveLength(0);
  });
});
