import { APP_IDS, EVENT_TYPES, RecurringTaskCreated, TOPICS, type Task, type TaskCompleted } from '@todo/contracts';
import { SidecarError, type EventBus, type ServiceInvoker } from '@todo/dapr';
import { PoisonMessageError, TransientError, type Logger , type Clock } from '@todo/service-kit';
import { nextOccurrence } from './next-occurrence.ts';

export interface RollForwardDeps {
  invoker: ServiceInvoker;
  events: EventBus;
  clock: Clock;
}

/**
 * On completion of a recurring task: create exactly one next instance through task-service. The call is
 * idempotent on (series, occurrence) there, and the recurring.task.created event id is derived from the
 * same pair, so redeliveries and retries have one effect. task-service unreachable → retry later.
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

  let answer;
  try {
    answer = await deps.invoker.invoke(APP_IDS.taskService, {
      method: 'PUT',
      path: `series/${encodeURIComponent(seriesId)}/occurrences/${encodeURIComponent(occurrence)}`,
      body,
      headers: { 'x-user-id': task.userId, 'x-correlation-id': event.correlationId },
    });
  } catch (err) {
    if (err instanceof SidecarError) throw new TransientError('task-service unreachable', { cause: err });
    throw err;
  }
  if (answer.status >= 500 || answer.status === 429) throw new TransientError(`task-service answered ${answer.status}`);
  if (answer.status === 409) {
    log.info({ seriesId, occurrence }, 'next occurrence was created and deleted already; nothing to do');
    return undefined;
  }
  if (answer.status !== 200 && answer.status !== 201) {
    throw new PoisonMessageError(`task-service rejected the next occurrence: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const created = answer.body as Task;
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
  await deps.events.publish(TOPICS.recurring, RecurringTaskCreated.parse(announcement), { partitionKey: task.userId });
  log.info({ seriesId, previousTaskId: task.id, taskId: created.id, dueAt: created.dueAt, created: answer.status === 201 }, 'next occurrence ready');
  return created;
}
