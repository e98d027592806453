import { z } from 'zod';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export const TASK_STATUSES = ['open', 'completed'] as const;

const isoDateTime = z.iso.datetime({ offset: true });
const tag = z.string().trim().min(1).max(30);

export const Recurrence = z.strictObject({
  frequency: z.enum(FREQUENCIES),
  interval: z.number().int().min(1).max(365).default(1),
  until: isoDateTime.optional(),
});
export type Recurrence = z.infer<typeof Recurrence>;

const remindNotAfterDue = (t: { dueAt?: string | null; remindAt?: string | null }) =>
  !(t.dueAt && t.remindAt) || Date.parse(t.remindAt) <= Date.parse(t.dueAt);
const remindNotAfterDueIssue = { message: 'remindAt must not be after dueAt', path: ['remindAt'] };

/** Body of POST /api/tasks. Unknown fields are an error, not silently dropped. */
export const CreateTaskRequest = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    priority: z.enum(PRIORITIES).default('medium'),
    tags: z.array(tag).max(10).default([]),
    dueAt: isoDateTime.optional(),
    remindAt: isoDateTime.optional(),
    recurrence: Recurrence.optional(),
  })
  .refine(remindNotAfterDue, remindNotAfterDueIssue);
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

/** Body of PATCH /api/tasks/:id: any subset; `null` clears an optional field. */
export const PatchTaskRequest = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    priority: z.enum(PRIORITIES).optional(),
    tags: z.array(tag).max(10).optional(),
    dueAt: isoDateTime.nullable().optional(),
    remindAt: isoDateTime.nullable().optional(),
    recurrence: Recurrence.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'at least one field is required' });
export type PatchTaskRequest = z.infer<typeof PatchTaskRequest>;

export const ListTasksQuery = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  tag: tag.optional(),
  priority: z.enum(PRIORITIES).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const Task = z.object({
  id: z.string(),
  userId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  tags: z.array(z.string()),
  dueAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  recurrence: z.object({ frequency: z.enum(FREQUENCIES), interval: z.number().int(), until: z.string().optional() }).nullable(),
  status: z.enum(TASK_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  /** Shared by every instance of a recurring task; null for one-off tasks. */
  seriesId: z.string().nullable(),
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;

export { remindNotAfterDue };
