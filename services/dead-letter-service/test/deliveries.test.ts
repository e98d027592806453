import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { DeadLetterStore } from '../src/domain/dead-letter-store.ts';
import { cloudEvent, indexed, setup, taskCreated } from './support.ts';

const stored = (s: ReturnType<typeof setup>) =>
  [...s.state.entries.entries()].filter(([k]) => k.startsWith('dead-letter:')).map(([, v]) => v.value as Record<string, unknown>);

describe('POST /dead-letters/:topic (delivery from <topic>.dlq)', () => {
  it('when a dead letter arrives, then SUCCESS and it is stored pending with the event as it came', async () => {
    const s = setup();
    const res = await s.deliver('task-events', cloudEvent(taskCreated('evt-1'), { deadletterreason: 'consumer kept failing' }));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'SUCCESS' });
    const records = stored(s);
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      originalTopic: 'task-events',
      event: taskCreated('evt-1'),
      cloudEventId: 'ce-1',
      eventId: 'evt-1',
      eventType: 'task.created',
      firstSeenAt: '2026-11-22T12:00:00.000Z',
      lastSeenAt: '2026-11-22T12:00:00.000Z',
      deliveries: 1,
      reason: 'consumer kept failing',
      status: 'pending',
    });
    expect(indexed(s.state)).toEqual([records[0]!.id]);
  });

  it('when the payload is not a valid event at all, then it is still stored (never validated, never dropped)', async () => {
    const s = setup();
    const res = await s.deliver('reminders', cloudEvent({ nonsense: true }, { id: 'ce-9', topic: 'reminders' }));

    expect(res.body).toEqual({ status: 'SUCCESS' });
    expect(stored(s)).toEqual([
      expect.objectContaining({ originalTopic: 'reminders', event: { nonsense: true }, eventId: null, eventType: null, cloudEventId: 'ce-9', reason: null }),
    ]);
  });

  it('when the message metadata (a request header) names a reason, then it is kept', async () => {
    const s = setup();
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1')), { deadletterreason: 'schema v2 not understood' });

    expect(stored(s)[0]).toMatchObject({ reason: 'schema v2 not understood' });
  });

  it('when the same dead letter is delivered again, then there is one record with deliveries 2 and lastSeenAt moved', async () => {
    const s = setup();
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1')));
    s.advance(60_000);
    const res = await s.deliver('task-events', cloudEvent(taskCreated('evt-1')));

    expect(res.body).toEqual({ status: 'SUCCESS' });
    const records = stored(s);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ deliveries: 2, firstSeenAt: '2026-11-22T12:00:00.000Z', lastSeenAt: '2026-11-22T12:01:00.000Z', status: 'pending' });
    expect(indexed(s.state)).toEqual([records[0]!.id]);
  });

  it('when two copies of one event come under different CloudEvent ids, then they are one dead letter (keyed on the event id)', async () => {
    const s = setup();
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1'), { id: 'ce-1' }));
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1'), { id: 'ce-2' }));

    expect(stored(s)).toHaveLength(1);
    expect(stored(s)[0]).toMatchObject({ eventId: 'evt-1', deliveries: 2 });
  });

  it('when the same event id is dead-lettered on two topics, then they are two dead letters', async () => {
    const s = setup();
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1')));
    await s.deliver('recurring', cloudEvent(taskCreated('evt-1'), { topic: 'recurring' }));

    expect(stored(s).map((d) => d.originalTopic).sort()).toEqual(['recurring', 'task-events']);
    expect(indexed(s.state).length).toBe(2);
  });

  it('when the event has no id, then the CloudEvent id identifies it, so a redelivery still finds the record', async () => {
    const s = setup();
    await s.deliver('notifications', cloudEvent('not even an object', { id: 'ce-7' }));
    await s.deliver('notifications', cloudEvent('not even an object', { id: 'ce-7' }));
    await s.deliver('notifications', cloudEvent('not even an object', { id: 'ce-8' }));

    expect(stored(s).map((d) => [d.cloudEventId, d.deliveries]).sort()).toEqual([['ce-7', 2], ['ce-8', 1]]);
  });

  it('when a replayed dead letter fails again (new CloudEvent id), then it is pending again', async () => {
    const s = setup();
    const id = await s.deadLetterFor('task-events', taskCreated('evt-1'));
    await s.admin.replay(id).expect(202);
    // The replay went out under a new CloudEvent id; the consumer failed it once more.
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1'), { id: 'ce-after-replay' }));

    expect((await s.admin.show(id)).body).toMatchObject({ status: 'pending', deliveries: 2, cloudEventId: 'ce-after-replay' });
  });

  it('when daprd redelivers the old dead letter after a replay (same CloudEvent id), then it stays replayed', async () => {
    const s = setup();
    const id = await s.deadLetterFor('task-events', taskCreated('evt-1'));
    await s.admin.replay(id).expect(202);
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1')));

    expect((await s.admin.show(id)).body).toMatchObject({ status: 'replayed', deliveries: 2 });
  });

  it('when a discarded dead letter arrives again, then it stays discarded and only the counters move', async () => {
    const s = setup();
    const id = await s.deadLetterFor('task-events', taskCreated('evt-1'));
    await s.admin.discard(id).expect(204);
    await s.deliver('task-events', cloudEvent(taskCreated('evt-1'), { id: 'ce-2' }));

    expect((await s.admin.show(id)).body).toMatchObject({ status: 'discarded', deliveries: 2 });
  });

  it('when the state store fails, then RETRY and nothing is stored', async () => {
    const s = setup();
    s.state.claim = async () => {
      throw new Error('redis unavailable');
    };
    const res = await s.deliver('task-events', cloudEvent(taskCreated('evt-1')));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'RETRY' });
    expect(s.state.entries.size).toBe(0);
  });

  it('when the index cannot be written, then RETRY, and the redelivery indexes the record it already stored', async () => {
    const s = setup();
    const claim = s.state.claim.bind(s.state);
    let failIndex = true;
    s.state.claim = async (key, value) => {
      if (key.startsWith(`${DeadLetterStore.indexPrefix}:`) && failIndex) throw new Error('redis unavailable');
      return claim(key, value);
    };

    expect((await s.deliver('task-events', cloudEvent(taskCreated('evt-1')))).body).toEqual({ status: 'RETRY' });
    failIndex = false;
    expect((await s.deliver('task-events', cloudEvent(taskCreated('evt-1')))).body).toEqual({ status: 'SUCCESS' });

    const items = (await s.admin.list()).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ eventId: 'evt-1', deliveries: 2 });
  });

  it('when the delivery lacks the sidecar app token, then 401 and nothing is stored', async () => {
    const s = setup();
    const res = await request(s.app).post('/dead-letters/task-events').set('content-type', 'application/cloudevents+json').send(JSON.stringify(cloudEvent(taskCreated())));

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(s.state.entries.size).toBe(0);
  });
});
