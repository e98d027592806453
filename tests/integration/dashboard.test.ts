// The dashboard answers partially, never with an error, when a service is down (notification-service
// here; the insights part is covered the same way in services/gateway/test/api.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp, stopApp } from '../support/clients.ts';

describe('GET /api/dashboard', () => {
  afterAll(async () => {
    await startApp('notification-service');
  });

  it('when every service is up, then the caller\'s counts, upcoming reminders and recent notifications, nothing degraded', async () => {
    const user = 'dana';
    await api('POST', '/api/tasks', { user, body: { title: 'overdue', dueAt: new Date(Date.now() - 3_600_000).toISOString() } });
    await api('POST', '/api/tasks', { user, body: { title: 'later', dueAt: '2031-01-01T00:00:00Z' } });
    const { body: done } = await api('POST', '/api/tasks', { user, body: { title: 'done' } });
    await api('POST', `/api/tasks/${done.id}/complete`, { user });
    const remindAt = new Date(Date.now() + 3_600_000).toISOString();
    const { body: remind } = await api('POST', '/api/tasks', { user, body: { title: 'remind me', remindAt } });
    // The reminder, the notification and the insights arrive through task events, a moment after the API
    // answered, and not necessarily in order (the completion may be projected before the creations).
    const res = await eventually(async () => {
      const r = await api('GET', '/api/dashboard', { user });
      return r.body.upcomingReminders?.length && r.body.recentNotifications?.length && r.body.insights?.completed.total === 1 && r.body.insights.open === 3 ? r : undefined;
    });
    expect(res.status).toBe(200);
    expect(res.body.degraded).toEqual([]);
    expect(res.body.tasks).toMatchObject({ open: 3, completed: 1, overdue: 1 });
    expect(res.body.upcomingReminders).toEqual([{ taskId: remind.id, title: 'remind me', remindAt: new Date(remindAt).toISOString() }]);
    expect(res.body.recentNotifications).toEqual([expect.objectContaining({ kind: 'task-completed', taskId: done.id })]);
    // insights-service's read model, a 7-day window of it.
    expect(res.body.insights).toMatchObject({ userId: user, open: 3, overdue: 1, completed: { total: 1 } });
    expect(res.body.insights.completed.perDay).toHaveLength(7);
  });

  it('when notification-service is stopped, then 200 with degraded: ["notification-service"]', async () => {
    // Independent of the test before: its own user and tasks.
    const user = 'dana-degraded';
    for (const title of ['a', 'b', 'c']) await api('POST', '/api/tasks', { user, body: { title } });
    await stopApp('notification-service');
    const res = await api('GET', '/api/dashboard', { user });
    expect(res.status).toBe(200);
    expect(res.body.degraded).toEqual(['notification-service']);
    expect(res.body.tasks.open).toBe(3);
    expect(res.body.recentNotifications).toBeNull();
  });
});
