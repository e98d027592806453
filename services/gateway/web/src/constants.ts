// Enumerations of the API the forms offer (the same lists as packages/contracts; test/constants.test.ts
// fails when they differ). Kept here so the browser bundle does not carry zod.
export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export const TASK_STATUSES = ['open', 'completed'] as const;
export const DEAD_LETTER_STATUSES = ['pending', 'replayed', 'discarded'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Frequency = (typeof FREQUENCIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Limits of a task the form checks before sending (the API checks them again). */
export const LIMITS = { title: 200, description: 2000, tags: 10, tag: 30, interval: 365 } as const;
