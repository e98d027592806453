import { describe, expect, it } from 'vitest';
import { InMemoryStateStore, RecordingEventBus } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import type { TaskEvent } from '@todo/contracts';
import { Reminder, applyTaskEvent, bucketKey, minuteOf, reminderKey, sendDueReminders, type ReminderDeps } from '../src/domain/reminders.ts';

const log = createLogger('reminder-service', 'silent');
const T0 = Date.parse('2026-11-22T10:00:00.000Z');

function world() {
  const state = new InMemoryStateStore();
  const events = new RecordingEventBus();
  let now = T0;
  const replica = (instanceId: string): ReminderDeps => ({ state, events, clock: { now: () => new Date(now) }, instanceId });
  return { state, events, replica, at: (ms: number) => { now = T0 + ms; } };
}

let seq = 0;
function taskEvent(type: TaskEvent['type'], version: number, remindAt: string | null, status: 'open' | 'completed' = 'open'): TaskEvent {
  return {
    id: `e-${++seq}`, type, version: 2, userId: 'alice', occurredAt: new Date(T0).toISOString(), correlationId: 'c',
    task: {
      id: 'task-1', userId: 'alice', title: 'Stretch', description: null, priority: 'medium', tags: [], dueAt: null, remindAt,
      recurrence: null, status, createdAt: '', updatedAt: '', completedAt: null, seriesId: null, version,
    },
    ...(type === 'task.updated' ? { changed: ['remindAt'] } : {}),
  } as TaskEvent;
}

const dueEvents = (events: RecordingEventBus) => events.published.filter((p) => (p.event as { type: string }).type === 'reminder.due');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('reminders', () => {
  it('schedules from task.created and sends exactly once when due, not before', async () => {
    const w = world();
    const r = w.replica('r1');
    await applyTaskEvent(r, taskEvent('task.created', 1, at(5_000)), log);
    expect((await w.state.get(reminderKey('task-1'), Reminder))?.value.status).toBe('scheduled');
    w.at(4_000);
    expect((await sendDueReminders(r, log)).sent).toBe(0);
    w.at(6_000);
    expect((await sendDueReminders(r, log)).sent).toBe(1);
    w.at(8_000);
    expect((await sendDueReminders(r, log)).sent).toBe(0);
    expect(dueEvents(w.events)).toHaveLength(1);
    expect(dueEvents(w.events)[0]).toMatchObject({ topic: 'reminders', options: { partitionKey: 'alice' }, event: { taskId: 'task-1', remindAt: at(5_000) } });
    expect((await w.state.get(reminderKey('task-1'), Reminder))?.value.status).toBe('sent');
  });

  it('three replicas ticking at the same moment send a due reminder once', async () => {
    const w = world();
    await applyTaskEvent(w.replica('a'), taskEvent('task.created', 1, at(1_000)), log);
    w.at(2_000);
    const results = await Promise.all(['a', 'b', 'c'].map((id) => sendDueReminders(w.replica(id), log)));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(dueEvents(w.events)).toHaveLength(1);
  });

  it('completing or deleting before remindAt cancels it', async () => {
    for (const type of ['task.completed', 'task.deleted'] as const) {
      const w = world();
      const r = w.replica('r');
      await applyTaskEvent(r, taskEvent('task.created', 1, at(5_000)), log);
      await applyTaskEvent(r, taskEvent(type, 2, at(5_000), type === 'task.completed' ? 'completed' : 'open'), log);
      w.at(10_000);
      await sendDueReminders(r, log);
      expect(dueEvents(w.events), type).toHaveLength(0);
      expect((await w.state.get(reminderKey('task-1'), Reminder))?.value.status, type).toBe('cancelled');
      // Scheduling and cancelling are not announced: nothing on `reminders` reads them.
      expect(w.events.published, type).toEqual([]);
    }
  });

  it('moving remindAt later sends at the new time only', async () => {
    const w = world();
    const r = w.replica('r');
    await applyTaskEvent(r, taskEvent('task.created', 1, at(5_000)), log);
    await applyTaskEvent(r, taskEvent('task.updated', 2, at(90_000)), log);
    w.at(10_000);
    expect((await sendDueReminders(r, log)).sent).toBe(0);
    w.at(91_000);
    expect((await sendDueReminders(r, log)).sent).toBe(1);
    expect(dueEvents(w.events)[0]?.event).toMatchObject({ remindAt: at(90_000) });
  });

  it('ignores an event older than what it has (out-of-order or redelivered)', async () => {
    const w = world();
    const r = w.replica('r');
    await applyTaskEvent(r, taskEvent('task.completed', 2, at(5_000), 'completed'), log);
    await applyTaskEvent(r, taskEvent('task.created', 1, at(5_000)), log); // arrives late
    w.at(10_000);
    expect((await sendDueReminders(r, log)).sent).toBe(0);
  });

  it('when created and completed are delivered at the same moment (two partitions), then the completion wins, whichever write lands last', async () => {
    // Both handlers find no record yet. The first write of a record must be first-write-wins, or the
    // stale created (v1) could overwrite the cancelled v2 and the reminder would go out (seen in the
    // integration suite under load). The loser is retried, as daprd redelivers it, and then sees v2.
    for (const order of [['task.created', 'task.completed'], ['task.completed', 'task.created']] as const) {
      const w = world();
      const r = w.replica('r');
      const events = { 'task.created': taskEvent('task.created', 1, at(5_000)), 'task.completed': taskEvent('task.completed', 2, at(5_000), 'completed') };
      const outcomes = await Promise.allSettled(order.map((type) => applyTaskEvent(r, events[type], log)));
      for (const [i, outcome] of outcomes.entries()) if (outcome.status === 'rejected') await applyTaskEvent(r, events[order[i]!], log);
      expect((await w.state.get(reminderKey('task-1'), Reminder))?.value).toMatchObject({ taskVersion: 2, status: 'cancelled' });
      w.at(10_000);
      expect((await sendDueReminders(r, log)).sent).toBe(0);
    }
  });

  it('a claim abandoned by a crashed replica is re-sent after the claim timeout, with the same event id', async () => {
    const w = world();
    await applyTaskEvent(w.replica('a'), taskEvent('task.created', 1, at(1_000)), log);
    const stored = (await w.state.get(reminderKey('task-1'), Reminder))!;
    // replica "a" claimed it and died before publishing
    await w.state.save(reminderKey('task-1'), { ...stored.value, status: 'claimed', claimedAt: at(1_500), claimedBy: 'a' }, { etag: stored.etag });
    w.at(10_000);
    expect((await sendDueReminders(w.replica('b'), log)).sent).toBe(0);
    w.at(40_000);
    expect((await sendDueReminders(w.replica('b'), log)).sent).toBe(1);
    expect((dueEvents(w.events)[0]?.event as { id: string }).id).toBe(`due:task-1:${at(1_000)}`);
  });

  it('when no tick ran for 3 minutes (reminder-service down), then every reminder due meanwhile is sent once, late', async () => {
    const w = world();
    const r = w.replica('r');
    const taskIds = ['t-a', 't-b', 't-c', 't-d'];
    for (const [i, id] of taskIds.entries()) {
      const e = taskEvent('task.created', 1, at(30_000 + i * 45_000)); // due over 3 minutes
      await applyTaskEvent(r, { ...e, task: { ...e.task, id } }, log);
    }
    w.at(0);
    await sendDueReminders(r, log); // the last tick before the outage
    w.at(4 * 60_000); // back after the outage
    expect((await sendDueReminders(r, log)).sent).toBe(4);
    w.at(4 * 60_000 + 2_000);
    expect((await sendDueReminders(r, log)).sent).toBe(0);
    expect(dueEvents(w.events).map((e) => (e.event as { taskId: string }).taskId).sort()).toEqual(taskIds);
  });

  it('files due-minute buckets with a TTL, so they do not pile up', async () => {
    const w = world();
    await applyTaskEvent(w.replica('r'), taskEvent('task.created', 1, at(5_000)), log);
    expect(w.state.ttls.get(bucketKey(minuteOf(at(5_000))))).toBe(7 * 86_400);
  });

  it('a reminder already past when scheduled is sent on the next tick', async () => {
    const w = world();
    const r = w.replica('r');
    w.at(3_600_000);
    await applyTaskEvent(r, taskEvent('task.created', 1, at(0)), log);
    expect((await sendDueReminders(r, log)).sent).toBe(1);
  });
});

describe('reminder metrics (GET /metrics)', () => {
  it('counts due and sent reminders and how late each was sent', async () => {
    const { buildApp } = await import('../src/app.ts');
    const { FakeSidecar } = await import('@todo/dapr/fakes');
    const request = (await import('supertest')).default;
    const w = world();
    const app = buildApp({ logger: log, sidecar: new FakeSidecar(), state: w.state, events: w.events, clock: { now: () => new Date(Date.parse(at(0)) + offset) } });
    let offset = 0;
    await applyTaskEvent(w.replica('x'), taskEvent('task.created', 1, at(5_000)), log);
    offset = 7_000; // sent 2 s after remindAt
    await request(app).post('/reminder-cron').expect(200);
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(/^todo_reminders_due_total 1$/m);
    expect(text).toMatch(/^todo_reminders_sent_total 1$/m);
    expect(text).toMatch(/^todo_reminder_lateness_seconds_bucket\{le="1"\} 0$/m);
    expect(text).toMatch(/^todo_reminder_lateness_seconds_bucket\{le="2"\} 1$/m);
  });
});
