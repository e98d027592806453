import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from '../src/api/client.ts';
import type { Problem } from '../src/api/problem.ts';

interface Seen { url: string; init: RequestInit }

function fakeFetch(answer: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen };
}

describe('createApi', () => {
  it('when a call is made, then it carries the token, JSON body and If-Match, and returns the JSON answer', async () => {
    const f = fakeFetch(() => new Response(JSON.stringify({ id: 't1', version: 4 }), { status: 200, headers: { 'content-type': 'application/json' } }));
    const api = createApi({ token: () => 'tok', fetch: f.fetch });
    const task = await api.patch<{ version: number }>('/api/tasks/t1', { body: { title: 'x' }, ifMatch: 3 });
    expect(task.version).toBe(4);
    const headers = f.seen[0]!.init.headers as Record<string, string>;
    expect(headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json', 'if-match': '3' });
    expect(f.seen[0]!.init).toMatchObject({ method: 'PATCH', body: '{"title":"x"}' });
  });

  it('when the answer is a problem, then an ApiError carries it; a 401 also ends the session', async () => {
    const problem = { type: 'urn:todo:problem:unauthorized', title: 'Unauthorized', status: 401, detail: 'invalid or expired token' };
    const f = fakeFetch(() => new Response(JSON.stringify(problem), { status: 401, headers: { 'content-type': 'application/problem+json' } }));
    const ended: Problem[] = [];
    const api = createApi({ token: () => 'tok', fetch: f.fetch, onUnauthorized: (p) => ended.push(p) });
    const err = await api.get('/api/tasks').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem).toEqual(problem);
    expect(ended).toEqual([problem]);
  });

  it('when a token is only being tried (sign-in), then its 401 does not end the current session', async () => {
    const f = fakeFetch(() => new Response('{"type":"x","title":"Unauthorized","status":401}', { status: 401, headers: { 'content-type': 'application/problem+json' } }));
    const ended: Problem[] = [];
    const api = createApi({ token: () => undefined, fetch: f.fetch, onUnauthorized: (p) => ended.push(p) });
    await expect(api.get('/api/notifications', { token: 'candidate' })).rejects.toBeInstanceOf(ApiError);
    expect((f.seen[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer candidate');
    expect(ended).toEqual([]);
  });

  it('when the gateway cannot be reached, then a network problem (status 0)', async () => {
    const f = fakeFetch(() => { throw new TypeError('Failed to fetch'); });
    const err = (await createApi({ token: () => 't', fetch: f.fetch }).get('/api/tasks').catch((e: unknown) => e)) as ApiError;
    expect(err.problem).toMatchObject({ status: 0, title: 'Network error' });
  });

  it('when DELETE answers 204, then it resolves with nothing', async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createApi({ token: () => 't', fetch: f.fetch }).delete('/api/tasks/t1')).resolves.toBeUndefined();
  });
});
