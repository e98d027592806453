import { z } from 'zod';
import { PRIORITIES, TASK_STATUSES, type Actor, type CreateTaskRequest, type Priority, type TaskStatus } from '@todo/contracts';

/**
 * The fields chat reads from a task. A tolerant reader: task-service may add fields without breaking us,
 * and the recurrence rule is read only if it is there.
 */
export const TaskView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(z.string()).default([]),
  dueAt: z.string().nullable().default(null),
  remindAt: z.string().nullable().default(null),
  createdAt: z.string().optional(),
});
export type TaskView = z.infer<typeof TaskView>;

export interface TaskQuery {
  status?: TaskStatus | undefined;
  tag?: string | undefined;
  priority?: Priority | undefined;
}

export type CreateResult = { ok: true; task: TaskView } | { ok: false; detail: string };
export type ChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'already-completed' };

/**
 * What chat needs from task-service (the port; adapters/task-client.ts reaches it through the sidecar).
 * Answers that are the user's business (not found, already completed, rejected input) are results,
 * for a friendly reply; task-service being unreachable is thrown (a 503 at the edge).
 */
export interface TaskApi {
  create(actor: Actor, input: CreateTaskRequest): Promise<CreateResult>;
  /** The user's matching tasks, oldest first (at most LIST_LIMIT of them). */
  list(actor: Actor, query?: TaskQuery): Promise<TaskView[]>;
  complete(actor: Actor, taskId: string): Promise<ChangeResult>;
  delete(actor: Actor, taskId: string): Promise<ChangeResult>;
}

/** Chat looks at this many tasks at most when listing or matching a title. */
export const LIST_LIMIT = 1_000;
