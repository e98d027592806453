import { z } from 'zod';

/**
 * The insights read model (insights-service, a CQRS projection of task events), as served by
 * GET /api/insights. Days and weeks are UTC (there is no per-user time zone yet); weeks are ISO weeks
 * (Monday first). Completions are history: a task completed and later deleted still counts.
 */
const day = z.iso.date();
const count = z.number().int().min(0);

/** Query of GET /api/insights: how many days and ISO weeks of completions to return (today's included). */
export const InsightsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
  weeks: z.coerce.number().int().min(1).max(104).default(12),
});
export type InsightsQuery = z.infer<typeof InsightsQuery>;

export const InsightsResponse = z.object({
  userId: z.string(),
  /** The instant "now" was taken at (what overdue and the streak are relative to). */
  generatedAt: z.iso.datetime({ offset: true }),
  /** The read model generation that answered (it changes when a rebuild switches over). */
  generation: z.number().int().positive(),
  completed: z.object({
    /** Every completion ever. */
    total: count,
    /** Oldest first, one entry per day of the window, zeros included. */
    perDay: z.array(z.object({ date: day, count })),
    /** Oldest first, one entry per ISO week of the window (`2026-W48`, starting on a Monday), zeros included. */
    perWeek: z.array(z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/), start: day, count })),
  }),
  /** Tasks open now. */
  open: count,
  /** Open tasks whose dueAt has passed. */
  overdue: count,
  streak: z.object({
    /**
     * Consecutive days with at least one completion, ending today — or yesterday when nothing was
     * completed yet today (the streak is not broken before the day is over).
     */
    currentDays: count,
    lastCompletedOn: day.nullable(),
  }),
  /** Median of completedAt − createdAt over every completion; null before the first one. */
  medianTimeToCompleteSeconds: z.number().min(0).nullable(),
  /** At most 5 tags with the most tasks (open now + completed ever), busiest first, then by name. */
  busiestTags: z.array(z.object({ tag: z.string(), open: count, completed: count, total: count })).max(5),
});
export type InsightsResponse = z.infer<typeof InsightsResponse>;

export const REBUILD_STATES = ['idle', 'running', 'succeeded', 'failed'] as const;

/**
 * POST /api/admin/insights/rebuild (202) and GET of the same path: the projection rebuild. A rebuild
 * replays insights-service's event journal into `generation` while `liveGeneration` keeps serving, and
 * switches over when it is caught up.
 */
export const InsightsRebuildStatus = z.object({
  state: z.enum(REBUILD_STATES),
  /** The generation GET /api/insights reads now. */
  liveGeneration: z.number().int().positive(),
  /** The generation being (or last) built; null before the first rebuild. */
  generation: z.number().int().positive().nullable(),
  requestedAt: z.iso.datetime({ offset: true }).nullable(),
  finishedAt: z.iso.datetime({ offset: true }).nullable(),
  /** What the replay has read so far. */
  users: count,
  tasks: count,
  events: count,
  error: z.string().nullable(),
});
export type InsightsRebuildStatus = z.infer<typeof InsightsRebuildStatus>;
