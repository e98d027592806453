import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { z } from 'zod';
import { EtagMismatchError, SidecarError, type StateStore } from '@todo/dapr';
import { FakeInvoker, FakeSidecar, InMemoryStateStore, jsonResponse } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { HistoryItem } from '../src/domain/history.ts';
import { FakeTaskApi } from './fake-task-api.ts';

const APP_TOKEN = 'app-token-for-tests';
// Wednesday 18 Nov 2026, 10:00 in the process's time zone: chat reads dates in local time, so the
// expected instants below are built the same way and the tests pass whatever TZ the machine has.
const NOW = new Date(2026, 10, 18, 10, 0);
const local = (day: number, hour: number, minute = 0, month = 10, year = 2026) => new Date(year, month, day, hour, minute).toISOString();

function setup({ taskService = true }: { taskService?: boolean } = {}) {
  const api = new FakeTaskApi(() => NOW);
  const invoker = new FakeInvoker();
  if (taskService) invoker.on('task-service', api.handle);
  const state = new InMemoryStateStore();
  let n = 0;
  const app = buildApp({
    logger: createLogger('chat-service', 'silent'),
    invoker,
    state,
    sidecar: new FakeSidecar(),
    appApiToken: APP_TOKEN,
    clock: { now: () => NOW },
    newId: () => `msg-${++n}`,
  });
  const headersFor = (userId: string) => ({ 'x-user-id': userId, 'dapr-api-token': APP_TOKEN, 'x-correlation-id': `corr-${userId}` });
  const say = (message: string, userId = 'alice') => request(app).post('/chat').set(headersFor(userId)).send({ message });
  const history = (userId = 'alice') => request(app).get('/chat/history').set(headersFor(userId));
  return { app, api, invoker, state, say, history, headersFor };
}

/** The numbered lines of a list reply, without the numbers. */
const listed = (reply: string) =>
  reply
    .split('\n')
    .filter((l) => /^\d+\. /.test(l))
    .map((l) => l.replace(/^\d+\. /, ''));

describe('POST /chat — add', () => {
  it('when asked to add with a date, #tag and !priority, then the task is created with each of them', async () => {
    const { say, api, invoker } = setup();
    const res = await say('add buy milk tomorrow 5pm #home !high');

    expect(res.status).toBe(200);
    const [task] = api.of('alice');
    expect(api.of('alice')).toHaveLength(1);
    expect(task).toMatchObject({
      title: 'buy milk', tags: ['home'], priority: 'high', dueAt: local(19, 17), remindAt: null, recurrence: null, status: 'open',
    });
    expect(res.body).toEqual({ reply: expect.stringContaining('"buy milk"'), actions: [{ type: 'created', taskId: task?.id }] });
    expect(invoker.calls[0]).toMatchObject({
      appId: 'task-service',
      request: { method: 'POST', path: 'tasks', headers: { 'x-user-id': 'alice', 'x-correlation-id': 'corr-alice' } },
    });
  });

  it.each([
    ['create task call mom next monday', { title: 'call mom', dueAt: local(23, 12), priority: 'medium', tags: [] }],
    ['new task pay rent on friday #bills !low', { title: 'pay rent', dueAt: local(20, 12), priority: 'low', tags: ['bills'] }],
    ['Add: Plan New York trip', { title: 'Plan New York trip', dueAt: null, priority: 'medium', tags: [] }],
  ])('"%s" creates the task with the right fields', async (message, expected) => {
    const { say, api } = setup();
    expect((await say(message)).body.actions[0].type).toBe('created');
    expect(api.of('alice')).toEqual([expect.objectContaining(expected)]);
  });
});

describe('POST /chat — remind', () => {
  it.each([
    ['remind me to stretch in 10 minutes', 'stretch', local(18, 10, 10)],
    ['remind me to call bob tomorrow at 9am', 'call bob', local(19, 9)],
  ])('"%s" creates a task whose remindAt and dueAt are the time asked for', async (message, title, at) => {
    const { say, api } = setup();
    const res = await say(message);
    expect(res.status).toBe(200);
    expect(api.of('alice')).toEqual([expect.objectContaining({ title, remindAt: at, dueAt: at })]);
    expect(res.body.actions).toEqual([{ type: 'created', taskId: api.of('alice')[0]?.id }]);
  });

  it('when no time is given, then it asks when, and creates nothing', async () => {
    const { say, api } = setup();
    const res = await say('remind me to stretch');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/When should I remind you/);
    expect(res.body.actions).toEqual([{ type: 'none' }]);
    expect(api.tasks).toHaveLength(0);
  });
});

describe('POST /chat — recurrence', () => {
  it.each([
    ['water plants every monday', 'water plants', { frequency: 'weekly', interval: 1 }, local(23, 12), []],
    ['standup every day at 9am', 'standup', { frequency: 'daily', interval: 1 }, local(19, 9), []],
    ['pay rent every month', 'pay rent', { frequency: 'monthly', interval: 1 }, local(18, 10, 0, 11), []],
    ['review every 2 weeks', 'review', { frequency: 'weekly', interval: 2 }, local(2, 10, 0, 11), []],
    ['add water plants every monday #garden', 'water plants', { frequency: 'weekly', interval: 1 }, local(23, 12), ['garden']],
  ])('"%s" creates a repeating task due at its next occurrence', async (message, title, recurrence, dueAt, tags) => {
    const { say, api } = setup();
    const res = await say(message);
    expect(res.body.actions[0].type).toBe('created');
    expect(api.of('alice')).toEqual([expect.objectContaining({ title, recurrence, dueAt, tags, remindAt: null })]);
  });
});

describe('POST /chat — list', () => {
  function seeded() {
    const ctx = setup();
    const { api } = ctx;
    api.seed('alice', { title: 'Buy milk', tags: ['home'], dueAt: local(19, 17) });
    api.seed('alice', { title: 'Pay rent', priority: 'high', dueAt: local(18, 12) });
    api.seed('alice', { title: 'Fix sink', tags: ['home', 'urgent'], priority: 'high' });
    api.seed('alice', { title: 'File taxes', status: 'completed', dueAt: local(1, 9) });
    api.seed('bob', { title: 'Bob secret', tags: ['home'], dueAt: local(19, 8) });
    return ctx;
  }

  it.each([
    ['list', ['Pay rent', 'Buy milk', 'Fix sink', 'File taxes'], 'tasks?limit=200'],
    ['show my tasks', ['Pay rent', 'Buy milk', 'Fix sink', 'File taxes'], 'tasks?limit=200'],
    ['list open tasks', ['Pay rent', 'Buy milk', 'Fix sink'], 'tasks?limit=200&status=open'],
    ['list completed', ['File taxes'], 'tasks?limit=200&status=completed'],
    ["what's due?", ['Pay rent', 'Buy milk'], 'tasks?limit=200&status=open'],
    ['list #home', ['Buy milk', 'Fix sink'], 'tasks?limit=200&tag=home'],
    ['list #home #urgent', ['Fix sink'], 'tasks?limit=200&tag=home'],
    ['show high priority tasks', ['Pay rent', 'Fix sink'], 'tasks?limit=200&priority=high'],
  ])('"%s" lists the matching tasks of this user only, soonest due first', async (message, titles, path) => {
    const { say, invoker } = seeded();
    const res = await say(message);
    expect(res.status).toBe(200);
    expect(listed(res.body.reply).map((l) => l.split(' — ')[0])).toEqual(titles);
    expect(res.body.actions).toEqual([{ type: 'listed' }]);
    expect(invoker.calls.map((c) => c.request.path)).toEqual([path]);
  });

  it('when the user has more tasks than one page holds, then chat follows `next` and sees them all', async () => {
    const { say, api, invoker } = setup();
    for (let i = 1; i <= 450; i++) api.seed('alice', { title: `Task ${i}` });
    api.seed('alice', { title: 'Water plants' });
    const res = await say('complete water plants');
    expect(res.body.actions).toEqual([{ type: 'completed', taskId: expect.any(String) }]);
    expect(invoker.calls.filter((c) => c.request.method === 'GET').map((c) => c.request.path)).toEqual([
      'tasks?limit=200&status=open',
      'tasks?limit=200&status=open&cursor=200',
      'tasks?limit=200&status=open&cursor=400',
    ]);
  });

  it('shows when each task is due', async () => {
    const { say } = seeded();
    const res = await say('list #home');
    expect(listed(res.body.reply)[0]).toMatch(/^Buy milk — due Thu, Nov 19, 5:00\sPM$/);
  });

  it('when nothing matches, then it says so', async () => {
    const { say } = seeded();
    const res = await say('list low priority tasks');
    expect(res.body).toEqual({ reply: 'You have no low-priority tasks.', actions: [{ type: 'listed' }] });
  });
});

describe('POST /chat — complete', () => {
  it.each([
    ['complete buy milk', 'Buy milk'],
    ['done with BUY MILK', 'Buy milk'],
    ['done with powder', 'Buy milk powder'],
    ['mark call mom as done', 'Call mom'],
  ])('"%s" completes the open task "%s" and no other', async (message, title) => {
    const { say, api } = setup();
    for (const t of ['Buy milk', 'Buy milk powder', 'Call mom']) api.seed('alice', { title: t });
    api.seed('bob', { title: title });
    const res = await say(message);
    const target = api.of('alice').find((t) => t.title === title);
    expect(res.body).toEqual({ reply: `Marked "${title}" as done.`, actions: [{ type: 'completed', taskId: target?.id }] });
    expect(api.tasks.filter((t) => t.status === 'completed').map((t) => [t.userId, t.title])).toEqual([['alice', title]]);
  });

  it('when several open tasks match, then it asks which one and changes nothing', async () => {
    const { say, api } = setup();
    api.seed('alice', { title: 'Call mom' });
    api.seed('alice', { title: 'Call dad' });
    const res = await say('complete call');
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([{ type: 'none' }]);
    expect(res.body.reply).toMatch(/"Call mom", "Call dad"/);
    expect(api.tasks.every((t) => t.status === 'open')).toBe(true);
  });

  it('when no open task matches (only a completed one or another user\'s), then a friendly reply', async () => {
    const { say, api } = setup();
    api.seed('alice', { title: 'Walk dog', status: 'completed' });
    api.seed('bob', { title: 'Buy milk' });
    const res = await say('complete buy milk');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reply: expect.stringContaining('couldn\'t find an open task called "buy milk"'), actions: [{ type: 'none' }] });
    expect(api.of('bob')[0]?.status).toBe('open');
  });

  it('when the task was completed in the meantime (409), then a friendly reply, not an error', async () => {
    const { say, api, invoker } = setup();
    api.seed('alice', { title: 'Buy milk' });
    invoker.on('task-service', (req) => (req.path.endsWith('/complete') ? jsonResponse(409, { status: 409 }) : api.handle(req)));
    const res = await say('complete buy milk');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reply: '"Buy milk" is already done.', actions: [{ type: 'none' }] });
  });
});

describe('POST /chat — delete', () => {
  it.each([
    ['delete buy milk', 'Buy milk'],
    ['remove call mom', 'Call mom'],
    ['delete the "Buy milk powder" task', 'Buy milk powder'],
  ])('"%s" deletes "%s" and leaves the others', async (message, title) => {
    const { say, api } = setup();
    const seeded = ['Buy milk', 'Buy milk powder', 'Call mom'].map((t) => api.seed('alice', { title: t }));
    api.seed('bob', { title });
    const res = await say(message);
    const target = seeded.find((t) => t.title === title);
    expect(res.body).toEqual({ reply: `Deleted "${title}".`, actions: [{ type: 'deleted', taskId: target?.id }] });
    expect(api.of('alice').map((t) => t.title)).toEqual(seeded.filter((t) => t !== target).map((t) => t.title));
    expect(api.of('bob')).toHaveLength(1);
  });
});

describe('POST /chat — anything else', () => {
  it.each(['hello there', '   ', '???', 'show me a joke'])('"%s" gets a 200 help reply and touches no task', async (message) => {
    const { say, invoker } = setup();
    const res = await say(message);
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([{ type: 'none' }]);
    expect(res.body.reply).toContain('add buy milk tomorrow 5pm #home !high');
    expect(invoker.calls).toHaveLength(0);
  });
});

describe('POST /chat — task-service unavailable', () => {
  it('when daprd cannot reach task-service, then 503 problem+json', async () => {
    const { say } = setup({ taskService: false });
    const res = await say('add buy milk');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:todo:problem:dependency-unavailable', status: 503 });
  });

  it('when the sidecar itself is unreachable (SidecarError), then 503 problem+json', async () => {
    const { say, invoker } = setup();
    invoker.on('task-service', () => {
      throw new SidecarError('invoke task-service unreachable');
    });
    const res = await say('list');
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:todo:problem:dependency-unavailable');
  });

  it('when task-service rejects the task (400), then a friendly 200, not an error', async () => {
    const { say, invoker } = setup();
    invoker.on('task-service', () => jsonResponse(400, { status: 400, errors: [{ path: 'title', message: 'title is taken' }] }));
    const res = await say('add buy milk');
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([{ type: 'none' }]);
    expect(res.body.reply).toContain('title: title is taken');
  });
});

describe('POST /chat — bad requests', () => {
  it.each([
    ['no message', {}, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a message over 500 chars', { message: 'x'.repeat(501) }, 'message'],
    ['a message that is not a string', { message: 42 }, 'message'],
    ['an unknown field', { message: 'list', extra: true }, '(body)'],
  ])('when the body has %s, then 400 problem+json naming the field', async (_name, body, path) => {
    const { app, headersFor, invoker } = setup();
    const res = await request(app).post('/chat').set(headersFor('alice')).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(invoker.calls).toHaveLength(0);
  });

  it('when the call does not come from the sidecar (no app token), then 401', async () => {
    const { app } = setup();
    expect((await request(app).post('/chat').set({ 'x-user-id': 'alice' }).send({ message: 'list' })).status).toBe(401);
  });

  it('when x-user-id is missing, then 401', async () => {
    const { app } = setup();
    expect((await request(app).post('/chat').set({ 'dapr-api-token': APP_TOKEN }).send({ message: 'list' })).status).toBe(401);
  });
});

describe('GET /chat/history', () => {
  it('returns the user\'s own exchanges, oldest first, with the actions taken', async () => {
    const { say, history, api } = setup();
    await say('add buy milk');
    await say('hello', 'bob');
    await say('list');

    const alice = await history('alice');
    expect(alice.status).toBe(200);
    const taskId = api.of('alice')[0]?.id;
    expect(alice.body.items).toEqual([
      { id: 'msg-1', role: 'user', text: 'add buy milk', at: NOW.toISOString() },
      { id: 'msg-2', role: 'assistant', text: 'Added "buy milk".', at: NOW.toISOString(), actions: [{ type: 'created', taskId }] },
      { id: 'msg-5', role: 'user', text: 'list', at: NOW.toISOString() },
      { id: 'msg-6', role: 'assistant', text: expect.stringContaining('1. buy milk'), at: NOW.toISOString(), actions: [{ type: 'listed' }] },
    ]);
    const bob = await history('bob');
    expect(bob.body.items.map((i: HistoryItem) => [i.role, i.text.slice(0, 5)])).toEqual([['user', 'hello'], ['assistant', 'Sorry']]);
  });

  it('when there is no conversation yet, then an empty list', async () => {
    const { history } = setup();
    expect((await history('carol')).body).toEqual({ items: [] });
  });

  it('keeps only the last 100 messages', async () => {
    const { say, history, state } = setup();
    const old = Array.from({ length: 99 }, (_, i) => ({ id: `old-${i}`, role: 'user', text: `old ${i}`, at: NOW.toISOString() }));
    await state.save('history:alice', old);
    await say('hello');
    const items = (await history()).body.items as HistoryItem[];
    expect(items).toHaveLength(100);
    expect(items[0]?.id).toBe('old-1');
    expect(items.slice(-2).map((i) => i.role)).toEqual(['user', 'assistant']);
  });

  it('when another write lands between our read and our save, then the etag loop keeps both', async () => {
    const { say, history, state } = setup();
    await say('hello');
    const save = state.save.bind(state);
    let raced = false;
    state.save = async (key, value, options) => {
      if (!raced) {
        raced = true; // another replica appends first, so our etag is stale
        const current = await state.get(key, z.array(HistoryItem));
        await save(key, [...(current?.value ?? []), { id: 'other', role: 'user', text: 'from another tab', at: NOW.toISOString() }]);
      }
      return save(key, value, options);
    };
    await say('list');
    const texts = ((await history()).body.items as HistoryItem[]).map((i) => i.text.split('\n')[0]);
    expect(texts).toEqual(['hello', expect.stringMatching(/^Sorry/), 'from another tab', 'list', 'You have no tasks.']);
  });

  it('when the history cannot be saved, the task is still created and the reply still sent', async () => {
    const { say, state, api } = setup();
    const broken: Pick<StateStore, 'save' | 'claim'> = {
      save: async () => {
        throw new EtagMismatchError('history:alice');
      },
      claim: async () => {
        throw new SidecarError('state store down');
      },
    };
    Object.assign(state, broken);
    const res = await say('add buy milk');
    expect(res.status).toBe(200);
    expect(res.body.actions[0].type).toBe('created');
    expect(api.of('alice')).toHaveLength(1);
  });

  it('when the state store is down, then 503 problem+json', async () => {
    const { history, state } = setup();
    state.get = async () => {
      throw new SidecarError('state get failed');
    };
    const res = await history();
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
