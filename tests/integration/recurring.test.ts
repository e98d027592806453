// Completing a recurring task rolls it forward exactly once, and never past `until`.
import { describe, expect, it } from 'vitest';
import { api, eventually } from '../support/clients.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 24 * 60 * 60 * 1000;

describe('recurring tasks', () => {
  it('completing a daily task yields exactly one new open task due one day later, in the same series', async () => {
    const user = 'ursula';
    const dueAt = '2030-03-10T08:00:00.000Z';
    const { body: first } = await api('POST', '/api/tasks', { user, body: { title: 'Water plants', dueAt, remindAt: '2030-03-10T07:30:00.000Z', recurrence: { frequency: 'daily' } } });
    expect(first.seriesId).toBe(first.id);
    expect((await api('POST', `/api/tasks/${first.id}/complete`, { user })).status).toBe(200);

    const next = await eventually(async () => {
      const open = (await api('GET', '/api/tasks?status=open', { user })).body.items.filter((t: { seriesId: string }) => t.seriesId === first.id);
      return open.length ? open : undefined;
    });
    await sleep(3_000); // give a duplicate every chance to appear
    const open = (await api('GET', '/api/tasks?status=open', { user })).body.items.filter((t: { seriesId: string }) => t.seriesId === first.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toEqual(next[0]);
    expect(Date.parse(open[0].dueAt) - Date.parse(dueAt)).toBe(DAY);
    expect(open[0]).toMatchObject({ title: 'Water plants', status: 'open', remindAt: '2030-03-11T07:30:00.000Z', recurrence: { frequency: 'daily', interval: 1 } });
  });

  it('stops at until: completing the last occurrence creates nothing', async () => {
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
    await sleep(5_000);
    expect((await api('GET', '/api/tasks?status=open', { user })).body.items).toHaveLength(0);
    expect((await api('GET', '/api/tasks', { user })).body.items).toHaveLength(2);
  });
});
