import { z } from 'zod';
import { EVENT_TYPES } from './names.ts';
import { Task } from './task.ts';

/**
 * Every event carries a stable id (the dedupe key for at-least-once consumers), the user it belongs to,
 * when it happened, its schema version and a correlation id that follows one user action across services.
 * Events of one task are not guaranteed to arrive in order (the outbox publishes without a partition
 * key), so consumers compare `task.version` and ignore what is older than what they have.
 */
const envelope = {
  id: z.string().min(1),
  userId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  version: z.literal(1),
};

const taskEvent = <T extends string>(type: T) => z.object({ ...envelope, type: z.literal(type), task: Task });

export const TaskCreated = taskEvent(EVENT_TYPES.taskCreated);
export const TaskUpdated = taskEvent(EVENT_TYPES.taskUpdated).extend({
  /** Names of the fields this change touched. */
  changed: z.array(z.string()),
});
export const TaskCompleted = taskEvent(EVENT_TYPES.taskCompleted);
/** `task` is the task as it was when deleted (its version bumped). */
export const TaskDeleted = taskEvent(EVENT_TYPES.taskDeleted);

export const TaskEvent = z.discriminatedUnion('type', [TaskCreated, TaskUpdated, TaskCompleted, TaskDeleted]);
export type TaskEvent = z.infer<typeof TaskEvent>;
export type TaskCreated = z.infer<typeof TaskCreated>;
export type TaskUpdated = z.infer<typeof TaskUpdated>;
export type TaskCompleted = z.infer<typeof TaskCompleted>;
export type TaskDeleted = z.infer<typeof TaskDeleted>;

const reminderFields = {
  ...envelope,
  taskId: z.string().min(1),
  title: z.string(),
  remindAt: z.iso.datetime({ offset: true }),
};
export const ReminderScheduled = z.object({ ...reminderFields, type: z.literal(EVENT_TYPES.reminderScheduled) });
export const ReminderDue = z.object({ ...reminderFields, type: z.literal(EVENT_TYPES.reminderDue) });
export const ReminderCancelled = z.object({ ...reminderFields, type: z.literal(EVENT_TYPES.reminderCancelled) });
export const ReminderEvent = z.discriminatedUnion('type', [ReminderScheduled, ReminderDue, ReminderCancelled]);
export type ReminderEvent = z.infer<typeof ReminderEvent>;
export type ReminderDue = z.infer<typeof ReminderDue>;

export const NOTIFICATION_KINDS = ['reminder', 'task-completed'] as const;
const notificationFields = {
  ...envelope,
  notificationId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.string(),
  taskId: z.string().nullable(),
};
export const NotificationSent = z.object({ ...notificationFields, type: z.literal(EVENT_TYPES.notificationSent) });
export const NotificationFailed = z.object({ ...notificationFields, type: z.literal(EVENT_TYPES.notificationFailed), reason: z.string() });
export const NotificationEvent = z.discriminatedUnion('type', [NotificationSent, NotificationFailed]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const RecurringTaskCreated = z.object({
  ...envelope,
  type: z.literal(EVENT_TYPES.recurringTaskCreated),
  seriesId: z.string(),
  previousTaskId: z.string(),
  taskId: z.string(),
  dueAt: z.string().nullable(),
});
export type RecurringTaskCreated = z.infer<typeof RecurringTaskCreated>;
