import { z } from 'zod';
import { InsightsResponse } from './insights.ts';
import { Notification } from './notification.ts';
import { CursorParam, UpcomingReminder } from './task.ts';

// Public API shapes that are not tasks: what the gateway answers (and, through it, the services behind
// it). The OpenAPI document (openapi.ts) is generated from these and from task.ts; the services parse
// their input with the same schemas, so the document cannot promise what a service does not check.

/** problem+json (RFC 9457): every error the API answers. `type` is `urn:todo:problem:<code>`. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const Health = z.object({ status: z.enum(['ok', 'sidecar-unavailable']) });

/** GET /api/notifications: oldest first from `after`; `next` is always given (poll with it). */
export const NotificationFeedQuery = z.strictObject({
  after: CursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const NotificationPage = z.object({ items: z.array(Notification), next: z.string() });

/** Body of POST /api/chat. Whitespace-only is allowed through: it gets the help reply, not a 400. */
export const ChatRequest = z.strictObject({ message: z.string().min(1).max(500) });
export const ChatAction = z.object({
  type: z.enum(['created', 'listed', 'completed', 'deleted', 'none']),
  taskId: z.string().optional(),
});
export type ChatAction = z.infer<typeof ChatAction>;
export const ChatAnswer = z.object({ reply: z.string(), actions: z.array(ChatAction) });
export type ChatAnswer = z.infer<typeof ChatAnswer>;
export const ChatMessage = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.string(),
  actions: z.array(ChatAction).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
export const ChatHistoryPage = z.object({ items: z.array(ChatMessage) });

/** GET /api/dashboard: a part whose service did not answer is null and that service is named in `degraded`. */
export const Dashboard = z.object({
  tasks: z.object({ open: z.number().int().min(0), completed: z.number().int().min(0), overdue: z.number().int().min(0), dueToday: z.number().int().min(0) }).nullable(),
  upcomingReminders: z.array(UpcomingReminder).nullable(),
  recentNotifications: z.array(Notification).nullable(),
  /** The caller's insights (last 7 days, 4 weeks), from insights-service; null when it is down. */
  insights: InsightsResponse.nullable(),
  degraded: z.array(z.string()),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const DEAD_LETTER_STATUSES = ['pending', 'replayed', 'discarded'] as const;
/** A dead letter's id: 32 hex digits (derived from its topic and event id). */
export const DEAD_LETTER_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * A message that exhausted its deliveries on `<originalTopic>` and reached `<originalTopic>.dlq`.
 * `event` is the CloudEvent's `data` exactly as it arrived: it is NOT validated against the event
 * schemas, because a dead letter is often invalid by definition and must still be kept.
 */
export const DeadLetter = z.object({
  /** Derived from originalTopic + (eventId ?? cloudEventId): the same dead letter always gets the same id. */
  id: z.string(),
  originalTopic: z.string(),
  event: z.unknown(),
  /** CloudEvent id of the latest delivery (a replay is published under a new one). */
  cloudEventId: z.string().nullable(),
  /** The event's own id (`data.id`), the key consumers dedupe on; null when the payload has none. */
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  /** How many times daprd delivered this dead letter to us. */
  deliveries: z.number().int().min(1),
  reason: z.string().nullable(),
  status: z.enum(DEAD_LETTER_STATUSES),
  replayedAt: z.string().optional(),
  discardedAt: z.string().optional(),
  /** `x-user-id` of the admin who last replayed or discarded it (audit). */
  handledBy: z.string().optional(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterListQuery = z.strictObject({
  topic: z.string().min(1).max(200).optional(),
  /** `pending` unless asked: what needs an operator. `all` lists every status. */
  status: z.enum([...DEAD_LETTER_STATUSES, 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: CursorParam.optional(),
});
export const DeadLetterPage = z.object({ items: z.array(DeadLetter), next: z.string().nullable() });
export const ReplayAccepted = z.object({ id: z.string(), status: z.enum(DEAD_LETTER_STATUSES) });
