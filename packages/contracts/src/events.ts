import { z } from 'zod';
import { EVENT_TYPES } from './names.ts';
import { Task, TaskV1 } from './task.ts';

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

/**
 * Task events are at schema version 2: v2 added `task.recurrence` and `task.seriesId`. Producers emit
 * v2; consumers read both through `IncomingTaskEvent`, which upcasts v1 (see below).
 */
const taskEnvelope = { ...envelope, version: z.literal(2) };
const taskEvent = <T extends string>(type: T) => z.object({ ...taskEnvelope, type: z.literal(type), task: Task });

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

/** v1: the task had no recurrence and no series; v1 `task.updated` had no `changed` list. */
export const TaskEventV1 = z.object({
  ...envelope,
  version: z.literal(1),
  type: z.enum([EVENT_TYPES.taskCreated, EVENT_TYPES.taskUpdated, EVENT_TYPES.taskCompleted, EVENT_TYPES.taskDeleted]),
  task: TaskV1,
  changed: z.array(z.string()).optional(),
});
export type TaskEventV1 = z.infer<typeof TaskEventV1>;

/** v1 → v2: a v1 task was never recurring and never in a series. The event id is kept (dedupe key). */
export function upcastTaskEventV1(v1: TaskEventV1): TaskEvent {
  const task = { ...v1.task, recurrence: null, seriesId: null };
  const base = { id: v1.id, userId: v1.userId, occurredAt: v1.occurredAt, correlationId: v1.correlationId, version: 2 as const, task };
  return v1.type === EVENT_TYPES.taskUpdated
    ? { ...base, type: v1.type, changed: v1.changed ?? [] }
    : { ...base, type: v1.type };
}

/** What consumers parse: the current version as is, the previous one upcast. Anything else is invalid. */
export const IncomingTaskEvent = z.union([TaskEvent, TaskEventV1.transform(upcastTaskEventV1)]);
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
