import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { FakeSidecar, InMemoryStateStore } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

const APP_TOKEN = 'app-token-for-tests';
const NOW = new Date('2026-11-22T10:00:00.000Z');

/** Counts every read of the store, so a test can say what a request cost. */
class CountingStore extends InMemoryStateStore {
  reads = 0;
  override async getMany<T>(keys: string[], schema: Parameters<InMemoryStateStore['getMany']>[1]) {
    this.reads++;
    return super.getMany<T>(keys, schema as never);
  }
}

function setup() {
  const state = new CountingStore();
  let n = 0;
  const app = buildApp({ logger: createLogger('task-service', 'silent'), state, sidecar: new FakeSidecar(), clock: { now: () => NOW }, appApiToken: APP_TOKEN, newId: () => `id-${String(++n).padStart(5, '0')}` });
  const as = (user: string) => ({ 'x-user-id': user, 'dapr-api-token': APP_TOKEN });
  const create = (body: object, user = 'alice') => request(app).post('/tasks').set(as(user)).send(body);
  const list = (query: string, user = 'alice') => request(app).get(`/tasks${query}`).set(as(user));
  return { app, state, as, create, list };
}

describe('GET /tasks', () => {
  it('when a user has more tasks than a page, then `next` pages through all of them in creation order and ends with null', async () => {
    const { create, list } = setup();
    for (let i = 0; i < 250; i++) await create({ title: `t${i}` });
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      titles.push(...res.body.items.map((t: { title: string }) => t.title));
      cursor = res.body.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(titles).toEqual(Array.from({ length: 250 }, (_, i) => `t${i}`));
  }, 20_000);

  it('when listing one page, then the cost does not depend on how many tasks the user has', async () => {
    const { create, list, state } = setup();
    for (let i = 0; i < 300; i++) await create({ title: `t${i}` });
    state.reads = 0;
    await list('?limit=50');
    const readsFor300 = state.reads;
    for (let i = 0; i < 300; i++) await create({ title: `u${i}` });
    state.reads = 0;
    const res = await list('?limit=50');
    expect(res.body.items).toHaveLength(50);
    expect(state.reads).toBe(readsFor300);
  }, 30_000);

  it('when filtering, then only matching tasks come back, and a deleted task is skipped', async () => {
    const { app, as, create, list } = setup();
    const a = (await create({ title: 'a', tags: ['home'] })).body;
    await create({ title: 'b', priority: 'high' });
    const c = (await create({ title: 'c', tags: ['home'] })).body;
    await request(app).delete(`/tasks/${a.id}`).set(as('alice')).expect(204);
    await request(app).post(`/tasks/${c.id}/complete`).set(as('alice')).expect(200);
    expect((await list('?tag=home')).body).toEqual({ items: [expect.objectContaining({ title: 'c' })], next: null });
    expect((await list('?status=open')).body.items.map((t: { title: string }) => t.title)).toEqual(['b']);
    expect((await list('?priority=high')).body.items.map((t: { title: string }) => t.title)).toEqual(['b']);
    expect((await list('', 'bob')).body).toEqual({ items: [], next: null });
  });

  it.each([
    ['a limit over 200', '?limit=201'],
    ['a cursor this list never gave out', '?cursor=bm9wZQ'],
    ['an unknown parameter', '?owner=bob'],
  ])('when the query has %s, then 400 problem+json', async (_name, query) => {
    const { list } = setup();
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('GET /tasks/summary', () => {
  it('counts open, completed, overdue and due today over all tasks, and lists the next reminders soonest first', async () => {
    const { app, as, create } = setup();
    await create({ title: 'overdue', dueAt: '2026-11-21T09:00:00Z' });
    await create({ title: 'today', dueAt: '2026-11-22T18:00:00Z', remindAt: '2026-11-22T17:00:00Z' });
    await create({ title: 'later', dueAt: '2026-11-30T09:00:00Z', remindAt: '2026-11-22T12:00:00Z' });
    const done = (await create({ title: 'done', remindAt: '2026-11-22T11:00:00Z' })).body;
    await request(app).post(`/tasks/${done.id}/complete`).set(as('alice')).expect(200);
    const res = await request(app).get('/tasks/summary').set(as('alice'));
    expect(res.body).toEqual({
      open: 3, completed: 1, overdue: 1, dueToday: 1,
      upcomingReminders: [
        { taskId: expect.any(String), title: 'later', remindAt: '2026-11-22T12:00:00.000Z' },
        { taskId: expect.any(String), title: 'today', remindAt: '2026-11-22T17:00:00.000Z' },
      ],
    });
  });
});

describe('stored tasks from an older schema', () => {
  it('when a version-1 record (no recurrence, no series) is read, then it is upcast, and the next write stores the current shape', async () => {
    const { app, as, state } = setup();
    const v1 = {
      id: 'old-1', userId: 'alice', title: 'from 2025', description: null, priority: 'low', tags: [], dueAt: null, remindAt: null,
      status: 'open', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', completedAt: null, version: 1,
    };
    await state.save('task:old-1', v1);
    const read = await request(app).get('/tasks/old-1').set(as('alice'));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'old-1', recurrence: null, seriesId: null });
    await request(app).patch('/tasks/old-1').set(as('alice')).send({ title: 'renamed' }).expect(200);
    expect(state.entries.get('task:old-1')?.value).toMatchObject({ title: 'renamed', recurrence: null, seriesId: null, version: 2 });
  });

  it('when a stored record matches no known shape, then 500 (a bug to fix), never a cast', async () => {
    const { app, as, state } = setup();
    await state.save('task:bad', { id: 'bad', title: 42 });
    expect((await request(app).get('/tasks/bad').set(as('alice'))).status).toBe(500);
  });
});
