import request from 'supertest';
import { FakeSidecar, InMemoryStateStore, RecordingEventBus } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { DeadLetterStore } from '../src/domain/dead-letter-store.ts';
import { deliveryRoute } from '../src/routes/deliveries.ts';

export const APP_TOKEN = 'sidecar-token';
export const ADMIN = 'admin-ann';

/** An event as a producer published it (the CloudEvent's `data`): a valid task.created (v2). */
export const taskCreated = (id = 'evt-1', extra: Record<string, unknown> = {}) => ({
  id,
  type: 'task.created',
  version: 2,
  userId: 'alice',
  occurredAt: '2026-11-22T10:00:00.000Z',
  correlationId: 'corr-1',
  task: {
    id: 'task-1', userId: 'alice', title: 'Buy milk', description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null,
    recurrence: null, status: 'open', createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z', completedAt: null,
    seriesId: null, version: 1,
  },
  ...extra,
});

/** A valid reminder.due event. */
export const reminderDue = (id: string) => ({
  id, type: 'reminder.due', version: 1, userId: 'bob', occurredAt: '2026-11-22T09:00:00.000Z', correlationId: 'c-9',
  taskId: 't-9', title: 'Call mum', remindAt: '2026-11-22T09:00:00.000Z',
});

/** What daprd POSTs from `<topic>.dlq`: the original CloudEvent, unchanged (its `topic` is the original one). */
export const cloudEvent = (data: unknown, overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'ce-1',
  source: 'task-service',
  type: 'com.dapr.event.sent',
  topic: 'task-events',
  pubsubname: 'pubsub',
  datacontenttype: 'application/json',
  time: '2026-11-22T10:00:01Z',
  data,
  ...overrides,
});

/** Every id in the dead-letter history index (its pages, in order), read straight from the store. */
export function indexed(state: InMemoryStateStore): string[] {
  return [...state.entries.entries()]
    .filter(([k]) => k.startsWith(`${DeadLetterStore.indexPrefix}:p:`))
    .sort(([a], [b]) => Number(a.split(':').at(-1)) - Number(b.split(':').at(-1)))
    .flatMap(([, v]) => v.value as string[]);
}

export function setup() {
  const state = new InMemoryStateStore();
  const events = new RecordingEventBus();
  const clock = { current: new Date('2026-11-22T12:00:00.000Z'), now: () => clock.current };
  const advance = (ms: number) => {
    clock.current = new Date(clock.current.getTime() + ms);
  };
  const app = buildApp({ logger: createLogger('dead-letter-service', 'silent'), state, events, sidecar: new FakeSidecar(), appApiToken: APP_TOKEN, clock });
  const sidecarHeaders = { 'dapr-api-token': APP_TOKEN };
  const adminHeaders = { ...sidecarHeaders, 'x-user-id': ADMIN };

  const deliver = (topic: string, body: unknown, headers: Record<string, string> = {}) =>
    request(app)
      .post(deliveryRoute(topic))
      .set({ ...sidecarHeaders, 'content-type': 'application/cloudevents+json', ...headers })
      .send(JSON.stringify(body));

  const admin = {
    list: (query: Record<string, string> = {}) => request(app).get('/dead-letters').query(query).set(adminHeaders),
    show: (id: string) => request(app).get(`/dead-letters/${id}`).set(adminHeaders),
    replay: (id: string) => request(app).post(`/dead-letters/${id}/replay`).set(adminHeaders),
    discard: (id: string) => request(app).delete(`/dead-letters/${id}`).set(adminHeaders),
    metrics: () => request(app).get('/metrics').set(sidecarHeaders),
  };

  /** Delivers one dead letter and returns its stored id (from the list of every status). */
  const deadLetterFor = async (topic: string, data: unknown, overrides: Record<string, unknown> = {}) => {
    const res = await deliver(topic, cloudEvent(data, { topic, ...overrides }));
    if (res.body.status !== 'SUCCESS') throw new Error(`delivery answered ${JSON.stringify(res.body)}`);
    const items = (await admin.list({ status: 'all' })).body.items as Array<{ id: string; originalTopic: string; eventId: string | null; cloudEventId: string | null }>;
    const dataId = (data as { id?: unknown } | null)?.id;
    const match = items.find(
      (d) => d.originalTopic === topic && (typeof dataId === 'string' ? d.eventId === dataId : d.cloudEventId === (overrides.id ?? 'ce-1')),
    );
    if (!match) throw new Error('dead letter not listed');
    return match.id;
  };

  return { app, state, events, clock, advance, deliver, admin, deadLetterFor, sidecarHeaders, adminHeaders };
}
