import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { Task } from '@todo/contracts';
import { SidecarError } from '@todo/dapr';
import { FakeSidecar, InMemoryStateStore } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

const APP_TOKEN = 'app-token-for-tests';
const NOW = new Date('2026-11-22T10:00:00.000Z');

function setup() {
  const state = new InMemoryStateStore();
  let n = 0;
  const app = buildApp({
    logger: createLogger('task-service', 'silent'),
    state,
    sidecar: new FakeSidecar(),
    clock: { now: () => NOW },
    appApiToken: APP_TOKEN,
    newId: () => `id-${++n}`,
  });
  const post = (body: unknown, headers: Record<string, string> = { 'x-user-id': 'alice', 'dapr-api-token': APP_TOKEN }) =>
    request(app).post('/tasks').set(headers).send(body as object);
  return { state, post };
}

describe('POST /tasks', () => {
  it('when the input is valid, then 201 with the task, Location, and defaults filled in', async () => {
    const { post } = setup();
    const res = await post({ title: '  Water plants ', dueAt: '2026-11-23T09:00:00+01:00' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/tasks/id-1');
    expect(res.body).toEqual({
      id: 'id-1', userId: 'alice', title: 'Water plants', description: null, priority: 'medium', tags: [],
      dueAt: '2026-11-23T08:00:00.000Z', remindAt: null, recurrence: null, seriesId: null, status: 'open',
      createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), completedAt: null, version: 1,
    });
  });

  it('stores the task and indexes it under the user (a page of the user index, not a whole-array rewrite)', async () => {
    const { post, state } = setup();
    await post({ title: 'x' });
    expect((await state.get('task:id-1', Task))?.value).toMatchObject({ id: 'id-1', userId: 'alice' });
    expect(state.entries.get('user:alice:tasks:p:0')?.value).toEqual(['id-1']);
  });

  it('commits the task and its task.created event together through the outbox (the event is never stored)', async () => {
    const { post, state } = setup();
    await post({ title: 'x' }, { 'x-user-id': 'alice', 'dapr-api-token': APP_TOKEN, 'x-correlation-id': 'corr-1' });
    expect(state.outbox).toEqual([expect.objectContaining({ id: 'id-2', type: 'task.created', version: 2, userId: 'alice', correlationId: 'corr-1', task: expect.objectContaining({ id: 'id-1' }) })]);
    expect((await state.get('task:id-1', Task))?.value).toMatchObject({ id: 'id-1', title: 'x' });
  });

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a title over 200 chars', { title: 'x'.repeat(201) }, 'title'],
    ['an unknown priority', { title: 'x', priority: 'urgent' }, 'priority'],
    ['11 tags', { title: 'x', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    ['a date that is not ISO-8601', { title: 'x', dueAt: 'tomorrow' }, 'dueAt'],
    ['an unknown field', { title: 'x', owner: 'bob' }, '(body)'],
  ])('when the body has %s, then 400 problem+json naming the field', async (_name, body, path) => {
    const { post, state } = setup();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(state.entries.size).toBe(0);
  });

  it('when the call does not come from the sidecar (no app token), then 401 and nothing is stored', async () => {
    const { post, state } = setup();
    const res = await post({ title: 'x' }, { 'x-user-id': 'alice' });
    expect(res.status).toBe(401);
    expect(state.entries.size).toBe(0);
  });

  it('when x-user-id is missing, then 401', async () => {
    const { post } = setup();
    expect((await post({ title: 'x' }, { 'dapr-api-token': APP_TOKEN })).status).toBe(401);
  });

  it('when the state store is unavailable, then 503 problem+json with Retry-After, and the cause is not leaked', async () => {
    const { post, state } = setup();
    state.failNextTransaction = new SidecarError('state transaction failed: redis down: secret detail', { status: 500 });
    const res = await post({ title: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.type).toBe('urn:todo:problem:dependency-unavailable');
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
  });

  it('when something unexpected breaks, then 500 problem+json and the error is not leaked', async () => {
    const { post, state } = setup();
    state.failNextTransaction = new Error('bug: secret detail');
    const res = await post({ title: 'x' });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
  });
});
