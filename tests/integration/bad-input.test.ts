// Bad input gets a clear 4xx problem+json from the gateway, never a 5xx.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, platform, tokenFor } from '../support/clients.ts';

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
};

describe('POST /api/tasks with bad input', () => {
  it('when the body is malformed JSON, then 400', async () => {
    expectProblem(await api('POST', '/api/tasks', { rawBody: '{"title": ', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('when the title is empty, then 400 naming the field', async () => {
    const res = await api('POST', '/api/tasks', { body: { title: '' } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'title' })]));
  });

  it('when there is an unknown field, then 400', async () => {
    expectProblem(await api('POST', '/api/tasks', { body: { title: 'x', colour: 'red' } }), 400);
  });

  it('when remindAt is after dueAt, then 400', async () => {
    const res = await api('POST', '/api/tasks', { body: { title: 'x', dueAt: '2030-01-01T10:00:00Z', remindAt: '2030-01-01T11:00:00Z' } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'remindAt' })]));
  });

  it('when there is no token, then 401', async () => {
    expectProblem(await api('POST', '/api/tasks', { token: null, body: { title: 'x' } }), 401);
  });

  it('when the token is signed with another key, then 401', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.3pQx6m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m0';
    expectProblem(await api('POST', '/api/tasks', { token: forged, body: { title: 'x' } }), 401);
  });

  it('when the body is not JSON, then 415', async () => {
    expectProblem(await api('POST', '/api/tasks', { rawBody: 'title=x', headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('when the body is over 64 KB, then 413', async () => {
    expectProblem(await api('POST', '/api/tasks', { body: { title: 'x', description: 'y'.repeat(70 * 1024) } }), 413);
  });
});

describe('no caller can make a service unavailable to others', () => {
  it('when one user sends 50 invalid creates and 50 reads of a missing id, then they all get 4xx and another user still gets 201', async () => {
    const burst = await Promise.all([
      ...Array.from({ length: 50 }, () => api('POST', '/api/tasks', { user: 'mallory', body: { title: '' } })),
      ...Array.from({ length: 50 }, () => api('GET', `/api/tasks/${randomUUID()}`, { user: 'mallory' })),
    ]);
    expect(burst.filter((r) => r.status === 400)).toHaveLength(50);
    expect(burst.filter((r) => r.status === 404)).toHaveLength(50);
    // Before: daprd's breaker counted the 4xx as failures and every task call answered 503 for ~15 s.
    const creates = await Promise.all(Array.from({ length: 20 }, (_, i) => api('POST', '/api/tasks', { user: 'trent', body: { title: `after the burst ${i}` } })));
    expect(creates.map((r) => r.status)).toEqual(Array(20).fill(201));
  });

  it('when clients hang up on 30 requests in flight, then the next calls are served', async () => {
    const token = await tokenFor('impatient');
    await Promise.all(Array.from({ length: 30 }, () =>
      fetch(`${platform().gatewayUrl}/api/tasks`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1) }).catch(() => undefined)));
    const res = await api('POST', '/api/tasks', { user: 'trent', body: { title: 'after the hang-ups' } });
    expect(res.status).toBe(201);
    expect((await api('GET', '/api/tasks?limit=1', { user: 'impatient' })).status).toBe(200);
  });
});
