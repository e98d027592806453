import { describe, expect, it } from 'vitest';
import { IncomingTaskEvent } from '../src/index.ts';

const v1Task = {
  id: 't1', userId: 'alice', title: 'Old', description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null,
  status: 'open', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', completedAt: null, version: 1,
};
const v1 = { id: 'e1', type: 'task.created', version: 1, userId: 'alice', occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', task: v1Task };

describe('task event schema evolution', () => {
  it('a v1 event (no recurrence, no series) is upcast to v2 with the same id', () => {
    const parsed = IncomingTaskEvent.parse(v1);
    expect(parsed).toMatchObject({ id: 'e1', version: 2, type: 'task.created', task: { ...v1Task, recurrence: null, seriesId: null } });
  });

  it('a v1 task.updated gets an empty changed list', () => {
    expect(IncomingTaskEvent.parse({ ...v1, type: 'task.updated' })).toMatchObject({ version: 2, changed: [] });
  });

  it('a v2 event passes unchanged; an unknown version is rejected', () => {
    const v2 = { ...v1, version: 2, task: { ...v1Task, recurrence: { frequency: 'daily', interval: 1 }, seriesId: 't1' } };
    expect(IncomingTaskEvent.parse(v2)).toEqual(v2);
    expect(IncomingTaskEvent.safeParse({ ...v1, version: 3 }).success).toBe(false);
  });
});
