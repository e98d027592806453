import { EVENT_TYPES, TOPICS, type RecurringTaskCreated, type Task, type TaskCompleted } from '@todo/contracts';
import type { EventBus } from '@todo/dapr';
import { PoisonMessageError, type Logger, type Clock } from '@todo/service-kit';
import { nextOccurrence } from './next-occurrence.ts';
import type { OccurrenceApi } from './occurrence-api.ts';

export interface RollForwardDeps {
  tasks: OccurrenceApi;
  events: EventBus;
  clock: Clock;
}

/**
 * On completion of a recurring task: create exactly one next instance through task-service. The call is
 * idempotent on (series, occurrence) there, and the recurring.task.created event id is derived from the
 * same pair, so redeliveries and retries have one effect. task-service unreachable → thrown → retry later.
 */
export async function rollForward(deps: RollForwardDeps, event: TaskCompleted, log: Logger): Promise<Task | undefined> {
  const { task } = event;
  if (!task.recurrence) return undefined;
  const seriesId = task.seriesId ?? task.id;
  // The rule is anchored at the due time; a task without one recurs from when it was completed.
  const anchor = new Date(task.dueAt ?? task.completedAt ?? event.occurredAt);
  const next = nextOccurrence(anchor, task.recurrence);
  if (!next) {
    log.info({ taskId: task.id, seriesId, until: task.recurrence.until }, 'series ended (until reached)');
    return undefined;
  }
  const offset = task.remindAt && task.dueAt ? Date.parse(task.dueAt) - Date.parse(task.remindAt) : null;
  const occurrence = next.toISOString();
  const body = {
    title: task.title,
    ...(task.description ? { description: task.description } : {}),
    priority: task.priority,
    tags: task.tags,
    ...(task.dueAt ? { dueAt: occurrence } : {}),
    ...(offset !== null ? { remindAt: new Date(next.getTime() - offset).toISOString() } : {}),
    recurrence: task.recurrence,
  };

  const actor = { userId: task.userId, correlationId: event.correlationId };
  const result = await deps.tasks.createOccurrence(actor, seriesId, occurrence, body);
  if (result.outcome === 'deleted') {
    log.info({ seriesId, occurrence }, 'next occurrence was created and deleted already; nothing to do');
    return undefined;
  }
  if (result.outcome === 'rejected') throw new PoisonMessageError(`task-service rejected the next occurrence: ${result.detail}`);
  const created = result.task;
  const announcement: RecurringTaskCreated = {
    id: `recurring:${seriesId}:${occurrence}`,
    type: EVENT_TYPES.recurringTaskCreated,
    version: 1,
    userId: task.userId,
    occurredAt: deps.clock.now().toISOString(),
    correlationId: event.correlationId,
    seriesId,
    previousTaskId: task.id,
    taskId: created.id,
    dueAt: created.dueAt,
  };
  await deps.events.publish(TOPICS.recurring, announcement, { partitionKey: task.userId });
  log.info({ seriesId, previousTaskId: task.id, taskId: created.id, dueAt: created.dueAt, created: result.outcome === 'created' }, 'next occurrence ready');
  return created;
}
