import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { FakeInvoker, FakeSidecar, RecordingEventBus, jsonResponse } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { nextOccurrence } from '../src/domain/next-occurrence.ts';
import { ROUTES } from '../src/routes/subscriptions.ts';

const TOKEN = 't';
const completed = (recurrence: object | null, extra: object = {}) => ({
  id: 'evt-1', type: 'task.completed', version: 2, userId: 'alice', occurredAt: '2030-03-10T09:00:00.000Z', correlationId: 'c-1',
  task: {
    id: 'task-1', userId: 'alice', title: 'Water plants', description: null, priority: 'low', tags: ['garden'],
    dueAt: '2030-03-10T08:00:00.000Z', remindAt: '2030-03-10T07:30:00.000Z', recurrence, status: 'completed',
    createdAt: '', updatedAt: '', completedAt: '2030-03-10T09:00:00.000Z', seriesId: 'series-1', version: 2, ...extra,
  },
});

/** The next instance as task-service answers it (a whole Task). */
const nextTask = {
  id: 'task-2', userId: 'alice', title: 'Water plants', description: null, priority: 'low', tags: ['garden'],
  dueAt: '2030-03-11T08:00:00.000Z', remindAt: '2030-03-11T07:30:00.000Z', recurrence: { frequency: 'daily', interval: 1 },
  status: 'open', createdAt: '2030-03-10T09:00:01.000Z', updatedAt: '2030-03-10T09:00:01.000Z', completedAt: null, seriesId: 'series-1', version: 1,
};

function setup(taskService?: (req: { path: string; body?: unknown }) => ReturnType<typeof jsonResponse>) {
  const invoker = new FakeInvoker();
  if (taskService) invoker.on('task-service', taskService);
  const events = new RecordingEventBus();
  const app = buildApp({ logger: createLogger('r', 'silent'), invoker, events, sidecar: new FakeSidecar(), appApiToken: TOKEN });
  const deliver = (data: unknown) => request(app).post(ROUTES.taskEvents).set({ 'dapr-api-token': TOKEN }).send({ id: 'ce', data });
  return { invoker, events, deliver };
}

describe('nextOccurrence (rrule)', () => {
  it.each([
    ['daily', { frequency: 'daily', interval: 1 }, '2030-03-11T08:00:00.000Z'],
    ['every 3 days', { frequency: 'daily', interval: 3 }, '2030-03-13T08:00:00.000Z'],
    ['weekly', { frequency: 'weekly', interval: 1 }, '2030-03-17T08:00:00.000Z'],
    ['monthly', { frequency: 'monthly', interval: 1 }, '2030-04-10T08:00:00.000Z'],
  ] as const)('%s', (_n, rule, expected) => {
    expect(nextOccurrence(new Date('2030-03-10T08:00:00.000Z'), rule)?.toISOString()).toBe(expected);
  });

  it('is null past until', () => {
    expect(nextOccurrence(new Date('2030-03-10T08:00:00.000Z'), { frequency: 'daily', interval: 1, until: '2030-03-11T07:59:59Z' })).toBeNull();
  });
});

describe('on task.completed', () => {
  it('asks task-service for exactly the next occurrence, keeping the reminder offset, and announces it', async () => {
    const s = setup(() => jsonResponse(201, nextTask));
    expect((await s.deliver(completed({ frequency: 'daily', interval: 1 }))).body).toEqual({ status: 'SUCCESS' });
    expect(s.invoker.calls).toHaveLength(1);
    expect(s.invoker.calls[0]).toMatchObject({
      appId: 'task-service',
      request: {
        method: 'PUT',
        path: `series/series-1/occurrences/${encodeURIComponent('2030-03-11T08:00:00.000Z')}`,
        body: { title: 'Water plants', priority: 'low', tags: ['garden'], dueAt: '2030-03-11T08:00:00.000Z', remindAt: '2030-03-11T07:30:00.000Z', recurrence: { frequency: 'daily', interval: 1 } },
        headers: { 'x-user-id': 'alice' },
      },
    });
    expect(s.events.published).toEqual([
      expect.objectContaining({ topic: 'recurring', event: expect.objectContaining({ id: 'recurring:series-1:2030-03-11T08:00:00.000Z', taskId: 'task-2', previousTaskId: 'task-1' }) }),
    ]);
  });

  it('a repeat (task-service answers 200: already created) announces with the same event id', async () => {
    const s = setup(() => jsonResponse(200, nextTask));
    await s.deliver(completed({ frequency: 'daily', interval: 1 }));
    expect((s.events.published[0]?.event as { id: string }).id).toBe('recurring:series-1:2030-03-11T08:00:00.000Z');
  });

  it('does nothing for a one-off task or past until', async () => {
    const s = setup(() => jsonResponse(201, {}));
    await s.deliver(completed(null));
    await s.deliver(completed({ frequency: 'daily', interval: 1, until: '2030-03-10T12:00:00.000Z' }));
    expect(s.invoker.calls).toHaveLength(0);
  });

  it('task-service down → RETRY (bounded by resiliency, then the dead-letter topic)', async () => {
    const s = setup(); // no route: the fake answers like daprd with no target
    expect((await s.deliver(completed({ frequency: 'daily', interval: 1 }))).body).toEqual({ status: 'RETRY' });
    expect(s.events.published).toHaveLength(0);
  });

  it('when task-service rejects the occurrence (400), then DROP: retrying cannot help, the dead-letter topic keeps it', async () => {
    const s = setup(() => jsonResponse(400, { status: 400, detail: 'invalid' }));
    expect((await s.deliver(completed({ frequency: 'daily', interval: 1 }))).body).toEqual({ status: 'DROP' });
    expect(s.events.published).toHaveLength(0);
  });

  it('when the occurrence was created and deleted already (409), then SUCCESS and nothing is announced', async () => {
    const s = setup(() => jsonResponse(409, { status: 409 }));
    expect((await s.deliver(completed({ frequency: 'daily', interval: 1 }))).body).toEqual({ status: 'SUCCESS' });
    expect(s.events.published).toHaveLength(0);
  });

  it('when task-service answers outside its contract, then RETRY, never an announcement of a task we cannot read', async () => {
    const s = setup(() => jsonResponse(201, { id: 'task-2' }));
    expect((await s.deliver(completed({ frequency: 'daily', interval: 1 }))).body).toEqual({ status: 'RETRY' });
    expect(s.events.published).toHaveLength(0);
  });
});
