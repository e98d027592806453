// A v1 task event (before recurrence/seriesId existed) published to the v2 consumers is upcast and
// handled, not dead-lettered.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, FEED_WAIT_MS, notificationsOf, publishTaskEventRaw } from '../support/clients.ts';

describe('schema evolution: task.completed v1 → a v2 consumer', () => {
  it('when a v1 task.completed arrives, then notification-service upcasts it and notifies', async () => {
    const id = randomUUID();
    const now = new Date().toISOString();
    const v1 = {
      id, type: 'task.completed', version: 1, userId: 'legacy-user', occurredAt: now, correlationId: `legacy-${id}`,
      task: { id: `legacy-${id}`, userId: 'legacy-user', title: 'From the old schema', description: null, priority: 'low', tags: [],
        dueAt: null, remindAt: null, status: 'completed', createdAt: now, updatedAt: now, completedAt: now, version: 2 },
    };
    expect(await publishTaskEventRaw(v1)).toBe(204);
    const items = await eventually(async () => {
      const feed = await notificationsOf('legacy-user');
      return feed?.length ? feed : undefined;
    }, FEED_WAIT_MS);
    expect(items).toEqual([expect.objectContaining({ taskId: `legacy-${id}`, kind: 'task-completed', title: 'From the old schema' })]);
  });
});
