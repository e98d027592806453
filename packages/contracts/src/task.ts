import { z } from 'zod';

export const PRIORITIES = ['low', 'medium', 'high'] as const;

const isoDateTime = z.iso.datetime({ offset: true });

/** Body of POST /api/tasks. Unknown fields are an error, not silently dropped. */
export const CreateTaskRequest = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    priority: z.enum(PRIORITIES).default('medium'),
    tags: z.array(z.string().min(1).max(30)).max(10).default([]),
    dueAt: isoDateTime.optional(),
    remindAt: isoDateTime.optional(),
  })
  .refine((t) => !(t.dueAt && t.remindAt) || Date.parse(t.remindAt) <= Date.parse(t.dueAt), {
    message: 'remindAt must not be after dueAt',
    path: ['remindAt'],
  });
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

export const Task = z.object({
  id: z.string(),
  userId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  tags: z.array(z.string()),
  dueAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  status: z.enum(['open', 'completed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;
