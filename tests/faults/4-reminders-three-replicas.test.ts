// Scenario 4: 500 reminders due in the same minute, 3 reminder-service replicas each with its own cron
// timer → exactly 500 reminder notifications.
import { describe, expect, it } from 'vitest';
import { api, eventually, reminderRecords, settled } from '../support/clients.ts';
import { pool, recordFigures } from './figures.ts';

const COUNT = 500;
const USERS = 25;

describe('scenario 4: exactly-once reminders across 3 replicas', () => {
  it('when 500 reminders are due within one minute, then exactly 500 notifications', async () => {
    // All due in the same wall-clock minute, far enough ahead to create them all first.
    const now = Date.now();
    const minuteStart = Math.ceil((now + 45_000) / 60_000) * 60_000;
    const items = Array.from({ length: COUNT }, (_, i) => ({ user: `replica-${i % USERS}`, remindAt: new Date(minuteStart + (i % 50) * 1_000).toISOString(), i }));
    const created = await pool(items, 16, async ({ user, remindAt, i }) => {
      const res = await api('POST', '/api/tasks', { user, body: { title: `remind ${i}`, remindAt } });
      expect(res.status).toBe(201);
      return { user, id: res.body.id as string };
    });
    const createdBy = Date.now();
    expect(createdBy).toBeLessThan(minuteStart); // otherwise the test did not test "due in one minute"

    const count = async () => {
      const perTask = new Map<string, number>();
      for (let u = 0; u < USERS; u++) {
        let after: string | undefined;
        for (;;) {
          const res = await api('GET', `/api/notifications?limit=100${after ? `&after=${after}` : ''}`, { user: `replica-${u}` });
          for (const n of res.body.items as Array<{ taskId: string; kind: string }>) if (n.kind === 'reminder') perTask.set(n.taskId, (perTask.get(n.taskId) ?? 0) + 1);
          if (res.body.items.length < 100) break;
          after = res.body.next;
        }
      }
      return perTask;
    };
    const perTask = await eventually(async () => {
      const m = await count();
      return m.size >= COUNT ? m : undefined;
    }, minuteStart + 120_000 - Date.now(), 2_000);
    const allNotifiedAt = Date.now();
    // Every reminder `sent` (a final state no replica's tick touches again), then every reminder.due
    // delivered: a duplicate would be there now.
    await eventually(async () => ((await reminderRecords(created.map((t) => t.id))).every((r) => r?.status === 'sent') ? true : undefined), 60_000, 1_000);
    await settled();
    const final = await count();
    const total = [...final.values()].reduce((a, b) => a + b, 0);
    const duplicated = [...final.values()].filter((n) => n > 1).length;
    const lost = created.filter((t) => !final.has(t.id)).length;
    recordFigures('4-replicas', 'Scenario 4 — 500 reminders due in one minute, 3 reminder-service replicas', {
      'reminders scheduled': COUNT,
      'reminder notifications': total,
      lost,
      duplicated,
      'replicas (each with its own reminder-cron timer)': 3,
      'all notified (s after the last one was due)': Math.round((allNotifiedAt - (minuteStart + 49_000)) / 1000),
    }, ['Each due reminder is claimed by an etag compare-and-set; losers skip it. The reminder.due event id is stable, so a re-send after a crash would be deduplicated by notification-service.']);
    expect(perTask.size).toBe(COUNT);
    expect(total).toBe(COUNT);
    expect(duplicated).toBe(0);
  });
});
