// Reminders through the real cron binding, Kafka and notification-service. The cron fires every 2 s;
// DESIGN promises a reminder within the cron interval + 5 s after remindAt, i.e. 7 s.
import { describe, expect, it } from 'vitest';
import { api, eventually } from '../support/clients.ts';

const PROMISE_MS = 2_000 + 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function remindersFor(user: string, taskId: string) {
  const res = await api('GET', '/api/notifications', { user });
  return (res.body.items as Array<{ taskId: string; kind: string; createdAt: string }>).filter((n) => n.taskId === taskId && n.kind === 'reminder');
}

describe('reminders', () => {
  it('a task with remindAt 3 s ahead yields exactly one reminder notification within interval + 5 s', async () => {
    const remindAt = new Date(Date.now() + 3_000);
    const { body: task } = await api('POST', '/api/tasks', { user: 'rita', body: { title: 'Stretch', remindAt: remindAt.toISOString() } });
    const found = await eventually(async () => ((await remindersFor('rita', task.id)).length ? remindersFor('rita', task.id) : undefined), 3_000 + PROMISE_MS + 2_000);
    expect(found).toHaveLength(1);
    const latency = Date.parse(found[0]!.createdAt) - remindAt.getTime();
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThanOrEqual(PROMISE_MS);
    await sleep(4_000); // a few more ticks: still exactly one
    expect(await remindersFor('rita', task.id)).toHaveLength(1);
  });

  it('completing the task before remindAt means no reminder', async () => {
    const remindAt = new Date(Date.now() + 3_000);
    const { body: task } = await api('POST', '/api/tasks', { user: 'rita', body: { title: 'Done early', remindAt: remindAt.toISOString() } });
    expect((await api('POST', `/api/tasks/${task.id}/complete`, { user: 'rita' })).status).toBe(200);
    await sleep(3_000 + PROMISE_MS);
    expect(await remindersFor('rita', task.id)).toHaveLength(0);
  });

  it('moving remindAt later delays the reminder to the new time', async () => {
    const first = new Date(Date.now() + 3_000);
    const later = new Date(Date.now() + 12_000);
    const { body: task } = await api('POST', '/api/tasks', { user: 'rita', body: { title: 'Moved', remindAt: first.toISOString() } });
    expect((await api('PATCH', `/api/tasks/${task.id}`, { user: 'rita', body: { remindAt: later.toISOString() } })).status).toBe(200);
    await sleep(first.getTime() + PROMISE_MS - Date.now());
    expect(await remindersFor('rita', task.id)).toHaveLength(0);
    const found = await eventually(async () => ((await remindersFor('rita', task.id)).length ? remindersFor('rita', task.id) : undefined), later.getTime() - Date.now() + PROMISE_MS + 2_000);
    expect(found).toHaveLength(1);
    expect(Date.parse(found[0]!.createdAt)).toBeGreaterThanOrEqual(later.getTime());
  });
});
