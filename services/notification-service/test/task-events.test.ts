import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { FakeSidecar, InMemoryStateStore } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { ROUTES } from '../src/routes/subscriptions.ts';

const APP_TOKEN = 'sidecar-token';

const taskCreated = (id = 'evt-1') => ({
  id,
  type: 'task.created',
  version: 1,
  userId: 'alice',
  occurredAt: '2026-11-22T10:00:00.000Z',
  correlationId: 'corr-1',
  task: {
    id: 'task-1', userId: 'alice', title: 'Buy milk', description: null, priority: 'medium', tags: [],
    dueAt: null, remindAt: null, status: 'open', createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z', completedAt: null, version: 1,
  },
});

/** What daprd POSTs: a CloudEvent whose `data` is the event. */
const cloudEvent = (data: unknown) => ({ id: 'ce-1', topic: 'task-events', pubsubname: 'pubsub', specversion: '1.0', datacontenttype: 'application/json', data });

function setup() {
  const state = new InMemoryStateStore();
  const app = buildApp({ logger: createLogger('notification-service', 'silent'), state, sidecar: new FakeSidecar(), appApiToken: APP_TOKEN });
  const deliver = (body: unknown) =>
    request(app).post(ROUTES.taskEvents).set({ 'dapr-api-token': APP_TOKEN, 'content-type': 'application/cloudevents+json' }).send(JSON.stringify(body));
  return { state, deliver };
}

describe(`POST ${ROUTES.taskEvents} (delivery from daprd)`, () => {
  it('when a valid task.created arrives, then SUCCESS and it is recorded under its event id', async () => {
    const { state, deliver } = setup();
    const res = await deliver(cloudEvent(taskCreated()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'SUCCESS' });
    expect((await state.get('task-event:evt-1'))?.value).toMatchObject({ eventId: 'evt-1', taskId: 'task-1', userId: 'alice', type: 'task.created' });
  });

  it('when the same event is delivered twice, then both are acked and there is one record', async () => {
    const { state, deliver } = setup();
    await deliver(cloudEvent(taskCreated()));
    const first = (await state.get('task-event:evt-1'))?.etag;
    const res = await deliver(cloudEvent(taskCreated()));
    expect(res.body).toEqual({ status: 'SUCCESS' });
    expect(state.entries.size).toBe(1);
    expect((await state.get('task-event:evt-1'))?.etag).toBe(first);
  });

  it('when the payload fails validation, then DROP (to the dead-letter topic) and nothing is recorded', async () => {
    const { state, deliver } = setup();
    const res = await deliver(cloudEvent({ ...taskCreated(), userId: '' }));
    expect(res.body).toEqual({ status: 'DROP' });
    expect(state.entries.size).toBe(0);
  });

  it('when the state store fails, then RETRY, never an ack', async () => {
    const { state, deliver } = setup();
    state.claim = async () => {
      throw new Error('redis unavailable');
    };
    const res = await deliver(cloudEvent(taskCreated()));
    expect(res.body).toEqual({ status: 'RETRY' });
  });

  it('when the delivery lacks the sidecar app token, then 401', async () => {
    const { state } = setup();
    const app = buildApp({ logger: createLogger('n', 'silent'), state, sidecar: new FakeSidecar(), appApiToken: APP_TOKEN });
    const res = await request(app).post(ROUTES.taskEvents).send(cloudEvent(taskCreated()));
    expect(res.status).toBe(401);
    expect(state.entries.size).toBe(0);
  });
});
