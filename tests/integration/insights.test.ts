// insights-service (Python, its own daprd) end to end through the gateway: the read model follows task
// events exactly (redeliveries and out-of-order versions change nothing, v1 events are upcast), and a
// rebuild by replay produces the same model — also when it runs while tasks keep changing. On every
// broker profile: the rebuild replays insights-service's own journal, not the broker (docs/insights.md).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InsightsRebuildStatus, InsightsResponse, type Task } from '@todo/contracts';
import { api, eventually, platform, publishTaskEventRaw, redisHash, settled, tokenFor } from '../support/clients.ts';
import { pool } from '../faults/figures.ts';

const HOUR = 3_600_000;
const run = randomUUID().slice(0, 8);

async function tasksOf(user: string): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Task[]; next: string | null } } = await api('GET', `/api/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { user });
    expect(res.status).toBe(200);
    all.push(...res.body.items);
    cursor = res.body.next;
  } while (cursor);
  return all;
}

/** What the read model must say, computed independently from task-service's own view of the tasks. */
function expected(tasks: Task[], deletedCompleted: Task[] = [], now = Date.now()) {
  const done = [...tasks.filter((t) => t.status === 'completed'), ...deletedCompleted];
  const open = tasks.filter((t) => t.status === 'open');
  const durations = done.map((t) => Math.max(0, (Date.parse(t.completedAt!) - Date.parse(t.createdAt)) / 1000)).sort((a, b) => a - b);
  const mid = Math.floor(durations.length / 2);
  const median = durations.length === 0 ? null : durations.length % 2 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
  const tags = new Map<string, { open: number; completed: number }>();
  for (const t of open) for (const tag of new Set(t.tags)) tags.set(tag, { open: (tags.get(tag)?.open ?? 0) + 1, completed: tags.get(tag)?.completed ?? 0 });
  for (const t of done) for (const tag of new Set(t.tags)) tags.set(tag, { open: tags.get(tag)?.open ?? 0, completed: (tags.get(tag)?.completed ?? 0) + 1 });
  const today = new Date(now).toISOString().slice(0, 10);
  return {
    completed: done.length,
    completedToday: done.filter((t) => t.completedAt!.slice(0, 10) === today).length,
    open: open.length,
    overdue: open.filter((t) => t.dueAt && Date.parse(t.dueAt) < now).length,
    median,
    busiestTags: [...tags].map(([tag, c]) => ({ tag, ...c, total: c.open + c.completed }))
      .sort((a, b) => b.total - a.total || (a.tag < b.tag ? -1 : 1)).slice(0, 5),
  };
}

const summary = (body: InsightsResponse) => ({
  completed: body.completed.total,
  completedToday: body.completed.perDay.at(-1)!.count,
  open: body.open,
  overdue: body.overdue,
  median: body.medianTimeToCompleteSeconds,
  busiestTags: body.busiestTags,
});

async function insightsOf(user: string): Promise<InsightsResponse> {
  const res = await api('GET', '/api/insights', { user });
  expect(res.status).toBe(200);
  return InsightsResponse.parse(res.body); // the answer is inside the published contract
}

/** Waits until the read model says what task-service says (events arrive ~1-2 s after the API answered). */
async function converged(user: string, deletedCompleted: Task[] = []) {
  await settled();
  return eventually(async () => {
    const body = await insightsOf(user);
    const want = expected(await tasksOf(user), deletedCompleted);
    return JSON.stringify(summary(body)) === JSON.stringify(want) ? { body, want } : undefined;
  }, 60_000, 500).catch(async (err) => {
    // Show the difference rather than a bare timeout.
    expect(summary(await insightsOf(user))).toEqual(expected(await tasksOf(user), deletedCompleted));
    throw err;
  });
}

async function admin(method: string, path: string) {
  return api(method, path, { token: await tokenFor('ops', { admin: true }) });
}

async function rebuildAndWait() {
  const before = InsightsRebuildStatus.parse((await admin('GET', '/api/admin/insights/rebuild')).body);
  const res = await admin('POST', '/api/admin/insights/rebuild');
  expect(res.status).toBe(202);
  expect(res.headers.get('location')).toBe('/api/admin/insights/rebuild');
  const started = InsightsRebuildStatus.parse(res.body);
  expect(started).toMatchObject({ state: 'running', liveGeneration: before.liveGeneration });
  const done = await eventually(async () => {
    const status = InsightsRebuildStatus.parse((await admin('GET', '/api/admin/insights/rebuild')).body);
    return status.state === 'running' ? undefined : status;
  }, 120_000, 500);
  expect(done).toMatchObject({ state: 'succeeded', generation: started.generation, liveGeneration: started.generation, error: null });
  return { before, started, done };
}

/** The read model's raw documents of one user in one generation, read from Redis under the app-id prefix. */
async function modelDocs(user: string, generation: number) {
  const docs: Record<number, unknown> = {};
  for (let shard = 0; shard < 8; shard++) {
    const hash = await redisHash(`insights-service||model:${generation}:${user}:${shard}`);
    if (hash.data) docs[shard] = JSON.parse(hash.data);
  }
  return docs;
}

describe('GET /api/insights (insights-service, Python, through the gateway)', () => {
  it('when a user creates, completes and deletes tasks, then the read model shows their counts, streak, median and busiest tags', async () => {
    const user = `insights-${run}`;
    const create = async (body: object) => (await api('POST', '/api/tasks', { user, body })).body as Task;
    const rent = await create({ title: 'Pay rent', tags: ['bills', 'home'], dueAt: new Date(Date.now() - 5 * HOUR).toISOString() });
    const plants = await create({ title: 'Water plants', tags: ['home'] });
    const milk = await create({ title: 'Buy milk', tags: ['shop'], dueAt: new Date(Date.now() + 48 * HOUR).toISOString() });
    const gone = await create({ title: 'Never mind', tags: ['home'], dueAt: new Date(Date.now() - 5 * HOUR).toISOString() });
    expect((await api('POST', `/api/tasks/${plants.id}/complete`, { user })).status).toBe(200);
    expect((await api('PATCH', `/api/tasks/${milk.id}`, { user, body: { tags: ['shop', 'home'] } })).status).toBe(200);
    expect((await api('DELETE', `/api/tasks/${gone.id}`, { user })).status).toBe(204);

    const { body } = await converged(user);
    expect(body).toMatchObject({ userId: user, open: 2, overdue: 1, completed: { total: 1 }, streak: { currentDays: 1 } });
    expect(body.completed.perDay).toHaveLength(30);
    expect(body.completed.perWeek).toHaveLength(12);
    expect(body.completed.perDay.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), count: 1 });
    expect(body.busiestTags[0]).toEqual({ tag: 'home', open: 2, completed: 1, total: 3 });
    expect(body.medianTimeToCompleteSeconds).toBeGreaterThanOrEqual(0);
    expect(rent.id).toBeTruthy();

    // Another user sees only their own; the client cannot ask for someone else's.
    expect((await insightsOf(`other-${run}`)).completed.total).toBe(0);
    expect((await api('GET', '/api/insights', { user, headers: { 'x-user-id': `other-${run}` } })).body.userId).toBe(user);
    expect((await api('GET', '/api/insights?days=0', { user })).status).toBe(400);
    expect((await api('GET', '/api/insights', { token: null })).status).toBe(401);
  });

  it('when an event is redelivered, an older version arrives late and a v1 event comes in, then each counts exactly once', async () => {
    const user = `insights-dup-${run}`;
    const now = new Date().toISOString();
    const task = {
      id: `t-${randomUUID()}`, userId: user, title: 'raw', description: null, priority: 'medium', tags: ['raw'], dueAt: null,
      remindAt: null, recurrence: null, status: 'completed', createdAt: now, updatedAt: now, completedAt: now, seriesId: null, version: 2,
    };
    const completed = { id: randomUUID(), type: 'task.completed', version: 2, userId: user, occurredAt: now, correlationId: 'c', task };
    const olderCreated = { ...completed, id: randomUUID(), type: 'task.created', task: { ...task, status: 'open', completedAt: null, version: 1 } };
    const { recurrence: _r, seriesId: _s, ...v1Task } = { ...task, id: `t-${randomUUID()}` };
    const v1 = { ...completed, id: randomUUID(), version: 1, task: v1Task };
    for (const e of [completed, completed, olderCreated, v1, v1]) expect(await publishTaskEventRaw(e)).toBe(204);
    await settled();
    const body = await eventually(async () => {
      const b = await insightsOf(user);
      return b.completed.total >= 2 ? b : undefined;
    }, 30_000);
    expect(body).toMatchObject({ open: 0, completed: { total: 2 }, busiestTags: [{ tag: 'raw', open: 0, completed: 2, total: 2 }] });
  });
});

describe('POST /api/admin/insights/rebuild (projection rebuild by replay)', () => {
  it('only an admin may start one', async () => {
    expect((await api('POST', '/api/admin/insights/rebuild', { user: 'not-an-admin' })).status).toBe(403);
  });

  it('after a stream of changes, the rebuilt generation equals the live one — the same answers and the same documents', async () => {
    const users = [0, 1, 2].map((i) => `rebuild-${run}-${i}`);
    const deletedCompleted = new Map<string, Task[]>(users.map((u) => [u, []]));
    await pool(Array.from({ length: 36 }, (_, i) => i), 6, async (i) => {
      const user = users[i % 3]!;
      const { body: t } = await api('POST', '/api/tasks', {
        user, body: { title: `r${i}`, tags: [`tag${i % 4}`], dueAt: new Date(Date.now() + (i % 2 ? 48 : -3) * HOUR).toISOString() },
      });
      if (i % 3 !== 0) await api('PATCH', `/api/tasks/${t.id}`, { user, body: { title: `r${i} (edited)` } });
      if (i % 2 === 0) {
        const done = (await api('POST', `/api/tasks/${t.id}/complete`, { user })).body as Task;
        if (i % 4 === 0) {
          await api('DELETE', `/api/tasks/${t.id}`, { user });
          deletedCompleted.get(user)!.push(done);
        }
      } else if (i % 5 === 0) await api('DELETE', `/api/tasks/${t.id}`, { user });
    });
    for (const user of users) await converged(user, deletedCompleted.get(user));
    const liveAnswers = await Promise.all(users.map(insightsOf));
    const live = InsightsRebuildStatus.parse((await admin('GET', '/api/admin/insights/rebuild')).body).liveGeneration;
    const liveDocs = await Promise.all(users.map((u) => modelDocs(u, live)));
    expect(Object.keys(liveDocs[0]!).length).toBeGreaterThan(0);

    const { before, done } = await rebuildAndWait();
    expect(before.liveGeneration).toBe(live);
    expect(done.liveGeneration).toBeGreaterThan(live);
    expect(done.events).toBeGreaterThan(0);
    for (const [i, user] of users.entries()) {
      const rebuilt = await insightsOf(user);
      expect(rebuilt.generation).toBe(done.liveGeneration);
      const { generatedAt: _a, generation: _g, ...was } = liveAnswers[i]!;
      const { generatedAt: _b, generation: _h, ...now } = rebuilt;
      expect(now).toEqual(was);
      // Document for document (Redis, under the app-id prefix): every task's entry, down to the event id.
      expect(await modelDocs(user, done.liveGeneration)).toEqual(liveDocs[i]);
    }
  }, 180_000);

  it('when tasks keep changing during the rebuild, then nothing is lost: the new generation agrees with task-service', async () => {
    // History enough that the replay takes a few seconds (one task each for 300 users, straight onto
    // the topic), so the deliveries of the writes below really arrive while it runs.
    const now = new Date().toISOString();
    await pool(Array.from({ length: 300 }, (_, i) => i), 16, async (i) => {
      const userId = `seed-${run}-${i}`;
      const task = { id: `seed-${run}-${i}`, userId, title: 'seed', description: null, priority: 'low', tags: [], dueAt: null, remindAt: null,
        recurrence: null, status: 'open', createdAt: now, updatedAt: now, completedAt: null, seriesId: null, version: 1 };
      expect(await publishTaskEventRaw({ id: randomUUID(), type: 'task.created', version: 2, userId, occurredAt: now, correlationId: 'seed', task })).toBe(204);
    });
    await settled();

    const users = [0, 1].map((i) => `rebuild-live-${run}-${i}`);
    const res = await admin('POST', '/api/admin/insights/rebuild');
    expect(res.status).toBe(202);
    const started = InsightsRebuildStatus.parse(res.body);
    let rebuilding = true;
    let written = 0;
    const writes = (async () => {
      // Create and complete tasks for as long as the rebuild runs (bounded: 80 tasks).
      while (rebuilding && written < 80) {
        const user = users[written % 2]!;
        const i = written++;
        const { body: t } = await api('POST', '/api/tasks', { user, body: { title: `w${i}`, tags: [`w${i % 3}`] } });
        if (i % 3 !== 2) await api('POST', `/api/tasks/${t.id}/complete`, { user });
      }
    })();
    const status = await eventually(async () => {
      const s = InsightsRebuildStatus.parse((await admin('GET', '/api/admin/insights/rebuild')).body);
      return s.state === 'running' ? undefined : s;
    }, 120_000, 250);
    rebuilding = false;
    await writes;
    expect(status).toMatchObject({ state: 'succeeded', liveGeneration: started.generation });
    expect(written).toBeGreaterThan(0);

    for (const user of users) {
      const { body } = await converged(user);
      expect(body.generation).toBe(status.liveGeneration);
    }
    // The rebuild really ran during writes: deliveries for these users that went to both generations.
    const log = readFileSync(path.join(platform().logDir, 'insights-service.app.log'), 'utf8').split('\n');
    const both = `"generations":[${started.liveGeneration},${started.generation}]`;
    const overlapped = log.filter((l) => l.includes(both) && users.some((u) => l.includes(`"userId":"${u}"`))).length;
    expect(overlapped).toBeGreaterThan(0);
  }, 180_000);
});
