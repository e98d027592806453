import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { SignJWT, UnsecuredJWT, base64url } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { FakeInvoker, FakeSidecar, jsonResponse } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

const KEY = new TextEncoder().encode('unit-test-signing-key-unit-test-signing-key');
const POLICY = { issuer: 'urn:test:issuer', audience: 'urn:test:api', clockSkewSeconds: 30 };

interface TokenOptions {
  key?: Uint8Array;
  alg?: string;
  iss?: string | null;
  aud?: string | null;
  /** Seconds from now; null = no exp claim. */
  exp?: number | null;
  nbf?: number;
}
/** A token as an issuer would mint it; every field can be made wrong on purpose. */
function sign(claims: Record<string, unknown>, o: TokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'HS256' }).setIssuedAt();
  if (o.iss !== null) jwt.setIssuer(o.iss ?? POLICY.issuer);
  if (o.aud !== null) jwt.setAudience(o.aud ?? POLICY.audience);
  if (o.exp !== null) jwt.setExpirationTime(now + (o.exp ?? 300));
  if (o.nbf !== undefined) jwt.setNotBefore(now + o.nbf);
  return jwt.sign(o.key ?? KEY);
}

function setup(invoker = new FakeInvoker()) {
  const sidecar = new FakeSidecar();
  const app = buildApp({ logger: createLogger('gateway', 'silent'), invoker, sidecar, signingKey: async () => KEY, tokenPolicy: POLICY });
  return { app, invoker, sidecar };
}

const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

describe('gateway authentication', () => {
  it('when there is no Authorization header, then 401 problem+json', async () => {
    const res = await request(setup().app).post('/api/tasks').send({ title: 'x' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['signed with another key', () => sign({ sub: 'alice' }, { key: new TextEncoder().encode('another-key-another-key-another-key') })],
    ['expired', () => sign({ sub: 'alice' }, { exp: -60 })],
    ['expired by more than the allowed clock skew', () => sign({ sub: 'alice' }, { exp: -31 })],
    ['without exp (a token that never expires)', () => sign({ sub: 'alice' }, { exp: null })],
    ['not valid yet (nbf beyond the clock skew)', () => sign({ sub: 'alice' }, { nbf: 120 })],
    ['without a subject', () => sign({})],
    ['with an empty subject', () => sign({ sub: '' })],
    ['from another issuer', () => sign({ sub: 'alice' }, { iss: 'urn:someone:else' })],
    ['without an issuer', () => sign({ sub: 'alice' }, { iss: null })],
    ['for another audience', () => sign({ sub: 'alice' }, { aud: 'urn:other:api' })],
    ['without an audience', () => sign({ sub: 'alice' }, { aud: null })],
    ['unsigned (alg: none)', async () => new UnsecuredJWT({ sub: 'alice', iss: POLICY.issuer, aud: POLICY.audience }).setExpirationTime('5m').encode()],
    ['HS512 with the right key (another algorithm)', () => sign({ sub: 'alice' }, { alg: 'HS512' })],
    ['RS256 (an asymmetric algorithm)', () => new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256' }).setIssuer(POLICY.issuer).setAudience(POLICY.audience).setExpirationTime('5m').sign(rsaKey)],
    ['an HS256 header over a tampered payload', async () => {
      const [h, , sig] = (await sign({ sub: 'alice' })).split('.');
      return `${h}.${base64url.encode(JSON.stringify({ sub: 'admin', roles: ['admin'], iss: POLICY.issuer, aud: POLICY.audience, exp: 9e9 }))}.${sig}`;
    }],
    ['not a JWT at all', async () => 'garbage'],
  ])('when the token is %s, then 401 and nothing is forwarded', async (_name, token) => {
    const { app, invoker } = setup();
    const res = await request(app).post('/api/tasks').set('authorization', `Bearer ${await token()}`).send({ title: 'x' });
    expect(res.status).toBe(401);
    expect(invoker.calls).toHaveLength(0);
  });

  it('when the token expired within the allowed clock skew, then it is still accepted', async () => {
    const invoker = new FakeInvoker().on('task-service', () => jsonResponse(200, { items: [], next: null }));
    const { app } = setup(invoker);
    const res = await request(app).get('/api/tasks').set('authorization', `Bearer ${await sign({ sub: 'alice' }, { exp: -10 })}`);
    expect(res.status).toBe(200);
  });

  it('when a client sends its own x-user-id, then it is ignored: downstream sees the token\'s subject', async () => {
    const invoker = new FakeInvoker().on('task-service', () => jsonResponse(200, { items: [], next: null }));
    const { app } = setup(invoker);
    await request(app).get('/api/tasks').set('authorization', `Bearer ${await sign({ sub: 'alice' })}`).set('x-user-id', 'bob').expect(200);
    expect(invoker.calls[0]?.request.headers?.['x-user-id']).toBe('alice');
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

describe('GET /api/dashboard', () => {
  const summary = { open: 2, completed: 1, overdue: 0, dueToday: 1, upcomingReminders: [{ taskId: 't1', title: 'Stretch', remindAt: '2030-01-01T00:00:00.000Z' }] };
  const insights = {
    userId: 'a', generatedAt: '2030-01-01T00:00:00.000Z', generation: 1,
    completed: { total: 1, perDay: [{ date: '2030-01-01', count: 1 }], perWeek: [{ week: '2030-W01', start: '2029-12-31', count: 1 }] },
    open: 2, overdue: 0, streak: { currentDays: 1, lastCompletedOn: '2030-01-01' }, medianTimeToCompleteSeconds: 60,
    busiestTags: [{ tag: 'home', open: 1, completed: 1, total: 2 }],
  };
  const everyPart = () => new FakeInvoker()
    .on('task-service', () => jsonResponse(200, summary))
    .on('notification-service', () => jsonResponse(200, { items: [] }))
    .on('insights-service', () => jsonResponse(200, insights));

  it('when every part answers, then counts, upcoming reminders, recent notifications and insights, nothing degraded', async () => {
    const invoker = everyPart();
    const res = await request(setup(invoker).app).get('/api/dashboard').set('authorization', `Bearer ${await sign({ sub: 'a' })}`);
    expect(res.body).toEqual({
      tasks: { open: 2, completed: 1, overdue: 0, dueToday: 1 }, upcomingReminders: summary.upcomingReminders, recentNotifications: [], insights, degraded: [],
    });
    // A dashboard-sized window of the read model, for the caller (set by the gateway, not the client).
    const call = invoker.calls.find((c) => c.appId === 'insights-service')!;
    expect(call.request.path).toBe('insights?days=7&weeks=4');
    expect(call.request.headers?.['x-user-id']).toBe('a');
  });

  it('when a part does not answer within its budget, then it is aborted and named in degraded', async () => {
    let aborted = false;
    const invoker = everyPart()
      .on('notification-service', (req) => new Promise((_resolve, reject) => {
        // An invoker honours the timeout by aborting; this fake reports the abort it was asked for.
        const timer = setTimeout(() => reject(new Error('never answered')), 60_000);
        const give = () => { clearTimeout(timer); aborted = true; reject(new Error('aborted')); };
        req.signal?.addEventListener('abort', give);
        setTimeout(give, req.timeoutMs ?? 60_000);
      }));
    const started = Date.now();
    const res = await request(setup(invoker).app).get('/api/dashboard').set('authorization', `Bearer ${await sign({ sub: 'a' })}`);
    expect(res.status).toBe(200);
    expect(res.body.degraded).toEqual(['notification-service']);
    expect(res.body.recentNotifications).toBeNull();
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('when a part answers outside its contract, then it is degraded, not passed on', async () => {
    const invoker = everyPart().on('task-service', () => jsonResponse(200, { open: 'many' }));
    const res = await request(setup(invoker).app).get('/api/dashboard').set('authorization', `Bearer ${await sign({ sub: 'a' })}`);
    expect(res.body).toMatchObject({ tasks: null, upcomingReminders: null, degraded: ['task-service'] });
  });

  it('when insights-service is down or answers outside its contract, then insights is null and it is named in degraded; the rest is there', async () => {
    for (const answer of [() => { throw new Error('app is not running'); }, () => jsonResponse(200, { ...insights, open: -1 }), () => jsonResponse(503, {})]) {
      const invoker = everyPart().on('insights-service', answer);
      const res = await request(setup(invoker).app).get('/api/dashboard').set('authorization', `Bearer ${await sign({ sub: 'a' })}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ insights: null, degraded: ['insights-service'], tasks: { open: 2 }, recentNotifications: [] });
    }
  });
});


describe('insights routes', () => {
  it('GET /api/insights invokes insights-service for the caller with the query as sent', async () => {
    const invoker = new FakeInvoker().on('insights-service', () => jsonResponse(200, { userId: 'alice' }));
    const res = await request(setup(invoker).app).get('/api/insights?days=14').set('authorization', `Bearer ${await sign({ sub: 'alice' })}`);
    expect(res.status).toBe(200);
    expect(invoker.calls[0]).toMatchObject({ appId: 'insights-service', request: { method: 'GET', path: 'insights?days=14', headers: { 'x-user-id': 'alice' } } });
  });

  it('POST /api/admin/insights/rebuild: 403 for a user, 202 relayed for an admin with Location under /api', async () => {
    const invoker = new FakeInvoker().on('insights-service', () => jsonResponse(202, { state: 'running' }, { location: '/admin/insights/rebuild' }));
    const { app } = setup(invoker);
    expect((await request(app).post('/api/admin/insights/rebuild').set('authorization', `Bearer ${await sign({ sub: 'bob' })}`)).status).toBe(403);
    expect(invoker.calls).toHaveLength(0);
    const res = await request(app).post('/api/admin/insights/rebuild').set('authorization', `Bearer ${await sign({ sub: 'ops', roles: ['admin'] })}`);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/api/admin/insights/rebuild');
    expect(invoker.calls[0]).toMatchObject({ appId: 'insights-service', request: { method: 'POST', path: 'admin/insights/rebuild' } });
  });
});
