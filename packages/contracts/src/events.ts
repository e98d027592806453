import { z } from 'zod';
import { EVENT_TYPES } from './names.ts';
import { Task } from './task.ts';

/**
 * Every event carries a stable id (the dedupe key for at-least-once consumers), the user it belongs to,
 * when it happened, its schema version and a correlation id that follows one user action across services.
 */
const envelope = {
  id: z.string().min(1),
  userId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
};

export const TaskCreatedV1 = z.object({
  ...envelope,
  type: z.literal(EVENT_TYPES.taskCreated),
  version: z.literal(1),
  task: Task,
});
export type TaskCreatedV1 = z.infer<typeof TaskCreatedV1>;

export const TaskEvent = z.discriminatedUnion('type', [TaskCreatedV1]);
export type TaskEvent = z.infer<typeof TaskEvent>;
