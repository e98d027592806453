// The admin dead-letter API over the real *.dlq topics: a poison event is dead-lettered by daprd,
// collected by dead-letter-service, listed, replayed and discarded through the gateway (admin only).
import { describe, expect, it } from 'vitest';
import { api, eventually, publishTaskEventRaw } from '../support/clients.ts';

const publishRaw = async (event: object) => expect(await publishTaskEventRaw(event)).toBe(204);

describe('admin dead letters', () => {
  it('when the caller is not an admin, then 403; without a token, 401', async () => {
    expect((await api('GET', '/api/admin/dead-letters', { user: 'plain-user' })).status).toBe(403);
    expect((await api('GET', '/api/admin/dead-letters', { token: null })).status).toBe(401);
  });

  it('when an invalid event is on task-events, then it is listed once; replaying it is refused (409: consumers cannot read it); discarding answers 204', async () => {
    const poisonId = `poison-${Date.now()}`;
    await publishRaw({ id: poisonId, type: 'task.created', version: 1, userId: 'x' /* no task, no occurredAt: invalid */ });
    const admin = { user: 'ops', headers: {} };
    const token = await (await import('../support/clients.ts')).tokenFor('ops', { admin: true });
    const list = async () => (await api('GET', '/api/admin/dead-letters?topic=task-events', { ...admin, token })).body.items as Array<Record<string, any>>;
    const letters = await eventually(async () => {
      const mine = (await list()).filter((d) => d.eventId === poisonId);
      return mine.length ? mine : undefined;
    }, 30_000);
    // every subscriber of task-events dead-letters the same message; they collapse into one record
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ originalTopic: 'task-events', status: 'pending', eventType: 'task.created' });
    const id = letters[0]!.id;

    expect((await api('GET', `/api/admin/dead-letters/${id}`, { token })).body.id).toBe(id);
    const replay = await api('POST', `/api/admin/dead-letters/${id}/replay`, { token });
    expect(replay.status).toBe(409);
    expect(replay.body.type).toBe('urn:todo:problem:not-replayable');
    expect((await api('DELETE', `/api/admin/dead-letters/${id}`, { token })).status).toBe(204);
    expect((await api('GET', `/api/admin/dead-letters/${id}`, { token })).body.status).toBe('discarded');
    expect((await api('GET', '/api/admin/dead-letters/does-not-exist', { token })).status).toBe(404);
  });
});
