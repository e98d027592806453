import { z } from 'zod';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export const TASK_STATUSES = ['open', 'completed'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];

const isoDateTime = z.iso.datetime({ offset: true });
/**
 * Lengths are checked before trimming and blank text is refused by pattern, so the JSON Schema in the
 * OpenAPI document says exactly what is accepted (`"   "` is invalid there as here; so is a title over
 * 200 characters however much of it is spaces). The value is then stored trimmed.
 */
const text = (max: number) => z.string().min(1).max(max).regex(/\S/, 'must not be blank').trim();
const tag = text(30);

/** Task ids are uuid-shaped (random, or derived from a series occurrence): anything else names no task. */
export const TASK_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const Recurrence = z.strictObject({
  frequency: z.enum(FREQUENCIES),
  interval: z.number().int().min(1).max(365).default(1),
  until: isoDateTime.optional(),
});
export type Recurrence = z.infer<typeof Recurrence>;

/** The one place the rule is written: a reminder never comes after the task is due. */
export const remindNotAfterDue = (t: { dueAt?: string | null | undefined; remindAt?: string | null | undefined }) =>
  !(t.dueAt && t.remindAt) || Date.parse(t.remindAt) <= Date.parse(t.dueAt);
export const REMIND_NOT_AFTER_DUE = 'remindAt must not be after dueAt';
/**
 * A fresh object per use: zod 4's refine rewrites the params it is given (`message` becomes `error`),
 * so a shared object lost its `message` and PATCH answered `errors: [{path}]` without one (found by
 * the fuzzer: a problem outside its own schema).
 */
export const remindNotAfterDueIssue = () => ({ message: REMIND_NOT_AFTER_DUE, path: ['remindAt'] });
/** `If-Match` of PATCH /api/tasks/:id: a task version, optionally quoted or weak (`3`, `"3"`, `W/"3"`). */
export const IF_MATCH_PATTERN = /^(W\/)?"?[1-9][0-9]{0,15}"?$/;
/** Cursors are base64url (paged lists); a well-formed one this list never gave out is still a 400. */
const cursor = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'not a cursor');
export { cursor as CursorParam };

/** Body of POST /api/tasks. Unknown fields are an error, not silently dropped. */
export const CreateTaskRequest = z
  .strictObject({
    title: text(200),
    description: z.string().max(2000).optional(),
    priority: z.enum(PRIORITIES).default('medium'),
    tags: z.array(tag).max(10).default([]),
    dueAt: isoDateTime.optional(),
    remindAt: isoDateTime.optional(),
    recurrence: Recurrence.optional(),
  })
  .refine(remindNotAfterDue, remindNotAfterDueIssue());
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

/** Body of PATCH /api/tasks/:id: any subset; `null` clears an optional field. */
export const PatchTaskRequest = z
  .strictObject({
    title: text(200).optional(),
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
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(200).default(100),
  /** `next` of the previous page. */
  cursor: cursor.optional(),
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


/** A page of the caller's tasks; `next` is the cursor of the following page, null on the last one. */
export const TaskPage = z.object({ items: z.array(Task), next: z.string().nullable() });
export type TaskPage = z.infer<typeof TaskPage>;

export const UpcomingReminder = z.object({ taskId: z.string(), title: z.string(), remindAt: z.string() });
export type UpcomingReminder = z.infer<typeof UpcomingReminder>;

/**
 * Counts over all of a user's tasks (dashboard). `dueToday`: open, due between now and the end of the
 * UTC day. `upcomingReminders`: the next few reminders of open tasks, soonest first.
 */
export const TaskSummary = z.object({
  open: z.number().int().min(0),
  completed: z.number().int().min(0),
  overdue: z.number().int().min(0),
  dueToday: z.number().int().min(0),
  upcomingReminders: z.array(UpcomingReminder),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

/** A task as written before schema version 2 (no recurrence, no series). */
export const TaskV1 = Task.omit({ recurrence: true, seriesId: true });

/**
 * A task as read from the store: the current shape as is, a version-1 record upcast (it was never
 * recurring and in no series). Records are only ever rewritten in the current shape.
 */
export const StoredTask = z.union([Task, TaskV1.transform((t) => ({ ...t, recurrence: null, seriesId: null }))]);
