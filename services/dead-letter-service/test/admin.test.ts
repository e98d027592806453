import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { SidecarError } from '@todo/dapr';
import { ADMIN, reminderDue, setup, taskCreated } from './support.ts';


/** Three dead letters a minute apart: task-events evt-a, reminders rem-b, task-events evt-c. */
async function threeDeadLetters() {
  const s = setup();
  const a = await s.deadLetterFor('task-events', taskCreated('evt-a'), { id: 'ce-a' });
  s.advance(60_000);
  const b = await s.deadLetterFor('reminders', reminderDue('rem-b'), { id: 'ce-b' });
  s.advance(60_000);
  const c = await s.deadLetterFor('task-events', taskCreated('evt-c'), { id: 'ce-c' });
  return { s, a, b, c };
}

describe('GET /dead-letters', () => {
  it('when no status is asked for, then the pending ones, oldest first (the work queue)', async () => {
    const { s, a, b, c } = await threeDeadLetters();
    await s.admin.discard(b).expect(204);

    const res = await s.admin.list();
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([a, c]);
    expect(res.body.items[1]).toMatchObject({ eventId: 'evt-c', originalTopic: 'task-events', status: 'pending', firstSeenAt: '2026-11-22T12:02:00.000Z' });
    expect(res.body.next).toBeNull();
  });

  it('when the history is longer than a page, then `next` pages through it and ends with null', async () => {
    const s = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await s.deadLetterFor('task-events', taskCreated(`evt-${i}`), { id: `ce-${i}` }));
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const res = await s.admin.list({ status: 'all', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d: { id: string }) => d.id));
      cursor = res.body.next;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('filters by topic and by status', async () => {
    const { s, a, b, c } = await threeDeadLetters();
    await s.admin.discard(a).expect(204);

    expect((await s.admin.list({ topic: 'task-events' })).body.items.map((d: { id: string }) => d.id)).toEqual([c]);
    expect((await s.admin.list({ topic: 'task-events', status: 'discarded' })).body.items.map((d: { id: string }) => d.id)).toEqual([a]);
    expect((await s.admin.list({ status: 'all' })).body.items.map((d: { id: string }) => d.id)).toEqual([a, b, c]);
    expect((await s.admin.list({ topic: 'notifications' })).body.items).toEqual([]);
  });

  it('when the status is not one we know, then 400 problem+json', async () => {
    const { s } = await threeDeadLetters();
    const res = await s.admin.list({ status: 'lost' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors[0].path).toBe('status');
  });

  it('when there are no dead letters yet, then an empty list', async () => {
    const s = setup();
    expect((await s.admin.list()).body).toEqual({ items: [], next: null });
  });

  it('when the caller is not named in x-user-id, then 401', async () => {
    const s = setup();
    const res = await request(s.app).get('/dead-letters').set(s.sidecarHeaders);
    expect(res.status).toBe(401);
  });

  it('when the state store is down, then 503 problem+json', async () => {
    const { s } = await threeDeadLetters();
    s.state.get = async () => {
      throw new SidecarError('state get failed', { status: 500 });
    };
    const res = await s.admin.list();
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:todo:problem:dependency-unavailable');
  });
});

describe('GET /dead-letters/:id', () => {
  it('shows one dead letter', async () => {
    const { s, b } = await threeDeadLetters();
    const res = await s.admin.show(b);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: b, originalTopic: 'reminders', eventId: 'rem-b', eventType: 'reminder.due', event: reminderDue('rem-b'), deliveries: 1 });
  });

  it('when it does not exist, then 404 problem+json', async () => {
    const { s } = await threeDeadLetters();
    for (const id of ['0'.repeat(32), 'not-an-id']) {
      const res = await s.admin.show(id);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:todo:problem:not-found', status: 404 });
    }
  });
});

describe('POST /dead-letters/:id/replay', () => {
  it('republishes the identical event (same id) to the original topic exactly once, then 202 replayed', async () => {
    const { s, b } = await threeDeadLetters();
    s.advance(5_000);
    const res = await s.admin.replay(b);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: b, status: 'replayed' });
    expect(s.events.published).toEqual([{ topic: 'reminders', event: reminderDue('rem-b'), options: {} }]);
    expect((await s.admin.show(b)).body).toMatchObject({ status: 'replayed', replayedAt: '2026-11-22T12:02:05.000Z', handledBy: ADMIN });
    expect((await s.admin.list()).body.items.map((d: { id: string }) => d.id)).not.toContain(b);
  });

  it('when it was already replayed, then it may be replayed again (202, published a second time)', async () => {
    const { s, a } = await threeDeadLetters();
    await s.admin.replay(a).expect(202);
    s.advance(1_000);
    await s.admin.replay(a).expect(202);

    expect(s.events.published.map((p) => [p.topic, (p.event as { id: string }).id])).toEqual([['task-events', 'evt-a'], ['task-events', 'evt-a']]);
    expect((await s.admin.show(a)).body.replayedAt).toBe('2026-11-22T12:02:01.000Z');
  });

  it('when it was discarded, then 409 and nothing is published', async () => {
    const { s, a } = await threeDeadLetters();
    await s.admin.discard(a).expect(204);
    const res = await s.admin.replay(a);

    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:todo:problem:dead-letter-discarded');
    expect(s.events.published).toEqual([]);
    expect((await s.admin.show(a)).body.status).toBe('discarded');
  });

  it('when it does not exist, then 404 and nothing is published', async () => {
    const s = setup();
    expect((await s.admin.replay('f'.repeat(32))).status).toBe(404);
    expect(s.events.published).toEqual([]);
  });

  it('when the event does not match what the topic\'s consumers accept, then 409 not-replayable and nothing is published', async () => {
    const s = setup();
    const id = await s.deadLetterFor('task-events', { id: 'evt-x', type: 'task.created', version: 9 }, { id: 'ce-x' });
    const res = await s.admin.replay(id);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:todo:problem:not-replayable');
    expect(s.events.published).toEqual([]);
  });

  it('when the payload is not a JSON object, then 409 not-replayable', async () => {
    const s = setup();
    const id = await s.deadLetterFor('notifications', 'just a string', { id: 'ce-s' });
    const res = await s.admin.replay(id);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:todo:problem:not-replayable');
    expect(s.events.published).toEqual([]);
  });

  it('when publishing fails, then 503 and it stays pending', async () => {
    const { s, a } = await threeDeadLetters();
    s.events.failNext = new SidecarError('publish to task-events failed', { status: 500 });
    const res = await s.admin.replay(a);

    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:todo:problem:dependency-unavailable');
    expect((await s.admin.show(a)).body.status).toBe('pending');
  });
});

describe('DELETE /dead-letters/:id', () => {
  it('marks it discarded and keeps it for audit; 204', async () => {
    const { s, c } = await threeDeadLetters();
    s.advance(3_000);
    const res = await s.admin.discard(c);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await s.admin.list({ status: 'discarded' })).body.items).toEqual([
      expect.objectContaining({ id: c, status: 'discarded', discardedAt: '2026-11-22T12:02:03.000Z', handledBy: ADMIN, event: taskCreated('evt-c') }),
    ]);
    expect((await s.admin.list()).body.items.map((d: { id: string }) => d.id)).not.toContain(c);
  });

  it('when it does not exist, then 404', async () => {
    const s = setup();
    expect((await s.admin.discard('a'.repeat(32))).status).toBe(404);
    expect(s.state.entries.size).toBe(0);
  });
});
