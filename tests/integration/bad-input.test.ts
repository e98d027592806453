// Bad input gets a clear 4xx problem+json from the gateway, never a 5xx.
import { describe, expect, it } from 'vitest';
import { api } from '../support/clients.ts';

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
