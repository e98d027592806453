import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { FakeSidecar, InMemoryStateStore, RecordingBinding, RecordingEventBus } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { FEED_PAGES, FEED_PAGE_SIZE, RETENTION_DAYS, notificationIdFor, notificationKey } from '../src/domain/notifications.ts';
import { ROUTES } from '../src/routes/subscriptions.ts';

const APP_TOKEN = 'sidecar-token';
const task = {
  id: 'task-1', userId: 'alice', title: 'Buy milk', description: null, priority: 'medium', tags: [], dueAt: null,
  remindAt: null, recurrence: null, status: 'completed', createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z', completedAt: '2026-11-22T10:00:00.000Z', seriesId: null, version: 2,
};
const envelope = { version: 1, userId: 'alice', occurredAt: '2026-11-22T10:00:00.000Z', correlationId: 'c-1' };
const completed = (id = 'evt-1') => ({ ...envelope, id, type: 'task.completed', task });
const reminderDue = (id = 'due:task-1:2026-11-22T10:00:00.000Z') => ({ ...envelope, id, type: 'reminder.due', taskId: 'task-1', title: 'Buy milk', remindAt: '2026-11-22T10:00:00.000Z' });
const cloudEvent = (data: unknown) => ({ id: 'ce-1', specversion: '1.0', datacontenttype: 'application/json', data });

function setup(options: { webhook?: boolean } = {}) {
  const state = new InMemoryStateStore();
  const events = new RecordingEventBus();
  const bindings = new RecordingBinding();
  const app = buildApp({
    logger: createLogger('notification-service', 'silent'), state, events, bindings, sidecar: new FakeSidecar(),
    appApiToken: APP_TOKEN, webhookBinding: options.webhook ? 'notification-webhook' : undefined,
    clock: { now: () => new Date('2026-11-22T10:00:01.000Z') },
  });
  const deliver = (route: string, body: unknown) =>
    request(app).post(route).set({ 'dapr-api-token': APP_TOKEN, 'content-type': 'application/cloudevents+json' }).send(JSON.stringify(body));
  const feed = (user = 'alice', after?: string) =>
    request(app).get(`/notifications${after ? `?after=${after}` : ''}`).set({ 'dapr-api-token': APP_TOKEN, 'x-user-id': user });
  return { state, events, bindings, deliver, feed };
}

describe('notifications from events', () => {
  it('task.completed → one task-completed notification in the user\'s feed, and notification.sent for in-app', async () => {
    const { deliver, feed, events } = setup();
    expect((await deliver(ROUTES.taskEvents, cloudEvent(completed()))).body).toEqual({ status: 'SUCCESS' });
    const res = await feed();
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ kind: 'task-completed', taskId: 'task-1', title: 'Buy milk' });
    expect(events.published.map((p) => [p.topic, (p.event as { type: string; channel: string }).type, (p.event as { channel: string }).channel]))
      .toEqual([['notifications', 'notification.sent', 'in-app']]);
  });

  it('reminder.due → a reminder notification', async () => {
    const { deliver, feed } = setup();
    await deliver(ROUTES.reminders, cloudEvent(reminderDue()));
    expect((await feed()).body.items.map((n: { kind: string }) => n.kind)).toEqual(['reminder']);
  });

  it('the same event delivered twice → one notification, one sent event', async () => {
    const { deliver, feed, events } = setup();
    await deliver(ROUTES.reminders, cloudEvent(reminderDue()));
    await deliver(ROUTES.reminders, cloudEvent(reminderDue()));
    expect((await feed()).body.items).toHaveLength(1);
    expect(events.published).toHaveLength(1);
  });

  it('other task events and reminder.scheduled are acknowledged without a notification', async () => {
    const { deliver, feed } = setup();
    expect((await deliver(ROUTES.taskEvents, cloudEvent({ ...completed(), type: 'task.created', task: { ...task, status: 'open', completedAt: null } }))).body.status).toBe('SUCCESS');
    expect((await deliver(ROUTES.reminders, cloudEvent({ ...reminderDue(), type: 'reminder.scheduled' }))).body.status).toBe('SUCCESS');
    expect((await feed()).body.items).toHaveLength(0);
  });

  it('an invalid payload is DROPped (dead letter), a failing store is RETRY', async () => {
    const { deliver, state } = setup();
    expect((await deliver(ROUTES.reminders, cloudEvent({ ...reminderDue(), taskId: '' }))).body.status).toBe('DROP');
    state.claim = async () => { throw new Error('down'); };
    expect((await deliver(ROUTES.reminders, cloudEvent(reminderDue()))).body.status).toBe('RETRY');
  });

  it('when a client polls with `next`, then it gets only what arrived since; users are kept apart', async () => {
    const { deliver, feed } = setup();
    await deliver(ROUTES.reminders, cloudEvent(reminderDue('a')));
    await deliver(ROUTES.reminders, cloudEvent(reminderDue('b')));
    const page = await feed();
    expect(page.body.items).toHaveLength(2);
    const idle = await feed('alice', page.body.next);
    expect(idle.body).toEqual({ items: [], next: page.body.next });
    await deliver(ROUTES.reminders, cloudEvent(reminderDue('c')));
    const later = await feed('alice', page.body.next);
    expect(later.body.items.map((n: { message: string }) => n.message)).toEqual([expect.stringContaining('Reminder:')]);
    expect(later.body.items[0].id).not.toBe(page.body.items[1].id);
    expect((await feed('bob')).body.items).toEqual([]);
    expect((await feed('alice', 'no-such-cursor')).status).toBe(400);
  });

  it('when more notifications arrive than the feed keeps, then the oldest pages are dropped (retention) and reading still works', async () => {
    const { deliver, feed, state } = setup();
    const total = FEED_PAGE_SIZE * FEED_PAGES + FEED_PAGE_SIZE; // one page more than kept
    for (let i = 0; i < total; i++) await deliver(ROUTES.reminders, cloudEvent(reminderDue(`r${i}`)));
    const pages = [...state.entries.keys()].filter((k) => k.startsWith('feed:alice:p:'));
    expect(pages).toHaveLength(FEED_PAGES);
    let seen = 0;
    let next: string | undefined;
    for (;;) {
      const res = await feed('alice', next);
      seen += res.body.items.length;
      if (res.body.items.length === 0) break;
      next = res.body.next;
    }
    expect(seen).toBe(FEED_PAGE_SIZE * FEED_PAGES);
    expect(state.ttls.get(notificationKey(notificationIdFor(reminderDue(`r${total - 1}`).id)))).toBe(RETENTION_DAYS * 86_400);
  }, 30_000);

  it('with the webhook channel on: posts through the binding once; a failure is recorded and announced, not retried forever', async () => {
    const ok = setup({ webhook: true });
    await ok.deliver(ROUTES.reminders, cloudEvent(reminderDue()));
    await ok.deliver(ROUTES.reminders, cloudEvent(reminderDue()));
    expect(ok.bindings.calls).toHaveLength(1);
    expect(ok.bindings.calls[0]).toMatchObject({ name: 'notification-webhook', operation: 'post', data: { kind: 'reminder', taskId: 'task-1' } });

    const failing = setup({ webhook: true });
    failing.bindings.fail = new Error('connection refused');
    expect((await failing.deliver(ROUTES.reminders, cloudEvent(reminderDue()))).body.status).toBe('SUCCESS');
    expect(failing.events.published.map((p) => (p.event as { type: string }).type)).toEqual(['notification.sent', 'notification.failed']);
  });
});
