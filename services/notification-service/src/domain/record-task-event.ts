import type { TaskEvent } from '@todo/contracts';
import type { StateStore } from '@todo/dapr';
import type { Logger } from '@todo/service-kit';

export interface ReceivedTaskEvent {
  eventId: string;
  type: TaskEvent['type'];
  taskId: string;
  userId: string;
  title: string;
  occurredAt: string;
  receivedAt: string;
}

export const receivedEventKey = (eventId: string) => `task-event:${eventId}`;

/**
 * Records a task event once. Idempotent: the record is keyed by the event's own id and written
 * first-write-wins, so a redelivery of the same event finds it and has no second effect.
 */
export async function recordTaskEvent(state: StateStore, event: TaskEvent, log: Logger, now = new Date()): Promise<boolean> {
  const record: ReceivedTaskEvent = {
    eventId: event.id,
    type: event.type,
    taskId: event.task.id,
    userId: event.userId,
    title: event.task.title,
    occurredAt: event.occurredAt,
    receivedAt: now.toISOString(),
  };
  const first = await state.claim(receivedEventKey(event.id), record);
  if (first) log.info({ eventId: event.id, eventType: event.type, taskId: event.task.id, userId: event.userId }, 'task event received');
  else log.info({ eventId: event.id }, 'duplicate task event ignored');
  return first;
}
