// Completing a recurring task rolls it forward exactly once, and never past `until`.
import { describe, expect, it } from 'vitest';
import { api, eventually, platform, settled } from '../support/clients.ts';

const DAY = 24 * 60 * 60 * 1000;

/** task-service's internal occurrence route, called the way recurring-service calls it: through a sidecar. */
async function putOccurrence(user: string, seriesId: string, occurrence: string, body: object) {
  const { apps, secrets } = platform();
  const res = await fetch(
    `http://127.0.0.1:${apps['recurring-service']!.daprHttpPort}/v1.0/invoke/task-service/method/series/${seriesId}/occurrences/${encodeURIComponent(occurrence)}`,
    { method: 'PUT', headers: { 'content-type': 'application/json', 'dapr-api-token': secrets.daprApiToken, 'x-user-id': user }, body: JSON.stringify(body) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('recurring tasks', () => {
  it('when a daily task is completed, then exactly one new open task is due one day later, in the same series', async () => {
    const user = 'ursula';
    const dueAt = '2030-03-10T08:00:00.000Z';
    const { body: first } = await api('POST', '/api/tasks', { user, body: { title: 'Water plants', dueAt, remindAt: '2030-03-10T07:30:00.000Z', recurrence: { frequency: 'daily' } } });
    expect(first.seriesId).toBe(first.id);
    expect((await api('POST', `/api/tasks/${first.id}/complete`, { user })).status).toBe(200);

    const next = await eventually(async () => {
      const open = (await api('GET', '/api/tasks?status=open', { user })).body.items.filter((t: { seriesId: string }) => t.seriesId === first.id);
      return open.length ? open : undefined;
    });
    await settled(); // every event so far handled: a duplicate would be there now
    const open = (await api('GET', '/api/tasks?status=open', { user })).body.items.filter((t: { seriesId: string }) => t.seriesId === first.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toEqual(next[0]);
    expect(Date.parse(open[0].dueAt) - Date.parse(dueAt)).toBe(DAY);
    expect(open[0]).toMatchObject({ title: 'Water plants', status: 'open', remindAt: '2030-03-11T07:30:00.000Z', recurrence: { frequency: 'daily', interval: 1 } });
  });

  it('when the last occurrence before until is completed, then nothing new is created', async () => {
    const user = 'ulrich';
    const { body: first } = await api('POST', '/api/tasks', {
      user,
      body: { title: 'Two days only', dueAt: '2030-04-01T08:00:00Z', recurrence: { frequency: 'daily', until: '2030-04-02T12:00:00Z' } },
    });
    await api('POST', `/api/tasks/${first.id}/complete`, { user });
    const second = await eventually(async () => {
      const open = (await api('GET', '/api/tasks?status=open', { user })).body.items;
      return open.length ? open[0] : undefined;
    });
    expect(second.dueAt).toBe('2030-04-02T08:00:00.000Z');
    await api('POST', `/api/tasks/${second.id}/complete`, { user });
    await settled();
    expect((await api('GET', '/api/tasks?status=open', { user })).body.items).toHaveLength(0);
    expect((await api('GET', '/api/tasks', { user })).body.items).toHaveLength(2);
  });

  it('when the same occurrence is PUT twice, then one task: 201 then 200 with the same id; another user gets 404', async () => {
    const body = { title: 'Idempotent', dueAt: '2030-05-02T08:00:00.000Z', recurrence: { frequency: 'daily' } };
    const a = await putOccurrence('olga', 'series-olga', '2030-05-02T08:00:00.000Z', body);
    const b = await putOccurrence('olga', 'series-olga', '2030-05-02T08:00:00.000Z', body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);
    expect(a.body).toMatchObject({ userId: 'olga', seriesId: 'series-olga', dueAt: '2030-05-02T08:00:00.000Z' });
    const other = await putOccurrence('oscar', 'series-olga', '2030-05-02T08:00:00.000Z', body);
    expect(other.status).toBe(404);
    expect((await api('GET', '/api/tasks', { user: 'olga' })).body.items.filter((t: { id: string }) => t.id === a.body.id)).toHaveLength(1);
  });
});
