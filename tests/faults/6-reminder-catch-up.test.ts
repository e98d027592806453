// Scenario 6: reminder-service (every replica, app and sidecar) is down for 3 minutes while reminders
// fall due. When it comes back, its cron walks the due-minute buckets from where its cursor stopped:
// every reminder missed meanwhile is sent — once, late — and none is lost.
import { describe, expect, it } from 'vitest';
import { api, eventually, platform, reminderRecords, settled, startApp, stopApp } from '../support/clients.ts';
import { pool, recordFigures, sleep } from './figures.ts';

const COUNT = 30;
const DOWN_MS = 180_000;
const USER = 'catch-up-user';

describe('scenario 6: reminders due while reminder-service is down', () => {
  it('when reminder-service is down for 3 minutes, then every reminder due meanwhile is sent once, late', async () => {
    const replicas = Object.keys(platform().apps).filter((k) => k === 'reminder-service' || k.startsWith('reminder-service#'));
    // Due 30 s … 150 s from now, i.e. all inside the outage that starts as soon as they are scheduled.
    const start = Date.now();
    const created = await pool(Array.from({ length: COUNT }, (_, i) => i), 8, async (i) => {
      const remindAt = new Date(start + 30_000 + (i * 120_000) / COUNT).toISOString();
      const res = await api('POST', '/api/tasks', { user: USER, body: { title: `catch up ${i}`, remindAt } });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, remindAt };
    });
    // Down only once reminder-service has scheduled them (otherwise this would test task-event redelivery).
    await eventually(async () => ((await reminderRecords(created.map((t) => t.id))).every((r) => r?.status === 'scheduled') ? true : undefined), 60_000, 500);
    for (const replica of replicas) await stopApp(replica, { what: 'both' });
    const downAt = Date.now();
    expect(downAt).toBeLessThan(start + 30_000); // nothing was due yet
    let backAt: number; // the outage ends when the first replica starts again
    let upAt: number;
    try {
      await sleep(DOWN_MS); // the outage itself
    } finally {
      backAt = Date.now();
      for (const replica of replicas) await startApp(replica);
      upAt = Date.now();
    }

    const feed = async () => {
      const res = await api('GET', '/api/notifications?limit=100', { user: USER });
      return (res.body.items as Array<{ taskId: string; kind: string; createdAt: string }>).filter((n) => n.kind === 'reminder');
    };
    await eventually(async () => ((await feed()).length >= COUNT ? true : undefined), 120_000, 1_000);
    const caughtUpAfterMs = Date.now() - backAt;
    await eventually(async () => ((await reminderRecords(created.map((t) => t.id))).every((r) => r?.status === 'sent') ? true : undefined), 60_000, 1_000);
    await settled();
    const reminders = await feed();
    const perTask = new Map<string, number>();
    for (const n of reminders) perTask.set(n.taskId, (perTask.get(n.taskId) ?? 0) + 1);
    const lost = created.filter((t) => !perTask.has(t.id)).length;
    const duplicated = [...perTask.values()].filter((n) => n > 1).length;
    const late = reminders.filter((n) => Date.parse(n.createdAt) >= backAt).length;
    recordFigures('6-catch-up', 'Scenario 6 — reminder-service down for 3 minutes while reminders fall due', {
      'reminders due during the outage': COUNT,
      'outage (s)': Math.round((backAt - downAt) / 1000),
      'reminder notifications': reminders.length,
      lost,
      duplicated,
      'sent after reminder-service came back (late)': late,
      'all caught up after it came back (ms)': caughtUpAfterMs,
      'replicas ready again after (ms)': upAt - backAt,
      'replicas stopped and restarted': replicas.length,
    }, ['Reminders are filed by due minute; the cron walks the minute buckets from a shared cursor (up to 120 minutes per tick), so an outage is caught up on the first ticks after it.']);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(late).toBe(COUNT);
  });
});
