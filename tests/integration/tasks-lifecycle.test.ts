// create → list/filter → patch (If-Match) → complete → delete, as two users, via the gateway with real JWTs.
import { describe, expect, it } from 'vitest';
import { api } from '../support/clients.ts';

describe('a task through its whole life, for two users', () => {
  it('when two users create, list, patch, complete and delete, then each sees only their own tasks and every step follows the contract', async () => {
    const erin = { user: 'erin-lifecycle' };
    const frank = { user: 'frank-lifecycle' };

    const a = await api('POST', '/api/tasks', { ...erin, body: { title: 'Pay rent', priority: 'high', tags: ['bills'], dueAt: '2030-05-01T09:00:00Z' } });
    const b = await api('POST', '/api/tasks', { ...erin, body: { title: 'Call mom', tags: ['family'] } });
    const c = await api('POST', '/api/tasks', { ...frank, body: { title: 'Frank only' } });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);

    // list and filters: only the caller's
    const all = await api('GET', '/api/tasks', erin);
    expect(all.body.items.map((t: { id: string }) => t.id)).toEqual([a.body.id, b.body.id]);
    expect((await api('GET', '/api/tasks?tag=bills', erin)).body.items.map((t: { id: string }) => t.id)).toEqual([a.body.id]);
    expect((await api('GET', '/api/tasks?priority=medium', erin)).body.items.map((t: { id: string }) => t.id)).toEqual([b.body.id]);
    expect((await api('GET', '/api/tasks', frank)).body.items.map((t: { id: string }) => t.id)).toEqual([c.body.id]);

    // another user's task is a 404 for every verb
    expect((await api('GET', `/api/tasks/${a.body.id}`, frank)).status).toBe(404);
    expect((await api('PATCH', `/api/tasks/${a.body.id}`, { ...frank, body: { title: 'mine now' } })).status).toBe(404);
    expect((await api('POST', `/api/tasks/${a.body.id}/complete`, frank)).status).toBe(404);
    expect((await api('DELETE', `/api/tasks/${a.body.id}`, frank)).status).toBe(404);

    // patch with If-Match: right version → 200 and version+1; stale version → 412
    const patched = await api('PATCH', `/api/tasks/${a.body.id}`, { ...erin, body: { title: 'Pay rent (May)', dueAt: null }, headers: { 'if-match': '1' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Pay rent (May)', dueAt: null, version: 2 });
    const stale = await api('PATCH', `/api/tasks/${a.body.id}`, { ...erin, body: { title: 'lost update' }, headers: { 'if-match': '1' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await api('GET', `/api/tasks/${a.body.id}`, erin)).body.title).toBe('Pay rent (May)');

    // complete: once → 200 completed; again → 409
    const done = await api('POST', `/api/tasks/${a.body.id}/complete`, erin);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', version: 3 });
    expect(done.body.completedAt).toEqual(expect.any(String));
    expect((await api('POST', `/api/tasks/${a.body.id}/complete`, erin)).status).toBe(409);
    expect((await api('GET', '/api/tasks?status=completed', erin)).body.items.map((t: { id: string }) => t.id)).toEqual([a.body.id]);

    // delete → 204, then gone
    expect((await api('DELETE', `/api/tasks/${b.body.id}`, erin)).status).toBe(204);
    expect((await api('GET', `/api/tasks/${b.body.id}`, erin)).status).toBe(404);
    expect((await api('GET', '/api/tasks', erin)).body.items.map((t: { id: string }) => t.id)).toEqual([a.body.id]);
  });

  it('when If-Match is not a version, a filter is unknown or a patch is empty, then 400', async () => {
    const t = await api('POST', '/api/tasks', { user: 'gina', body: { title: 'x' } });
    expect((await api('PATCH', `/api/tasks/${t.body.id}`, { user: 'gina', body: { title: 'y' }, headers: { 'if-match': 'abc' } })).status).toBe(400);
    expect((await api('GET', '/api/tasks?status=someday', { user: 'gina' })).status).toBe(400);
    expect((await api('PATCH', `/api/tasks/${t.body.id}`, { user: 'gina', body: {} })).status).toBe(400);
  });
});
