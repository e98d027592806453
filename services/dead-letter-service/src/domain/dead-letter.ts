import { createHash } from 'node:crypto';
import { z } from 'zod';

export const DEAD_LETTER_STATUSES = ['pending', 'replayed', 'discarded'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

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

/** What one delivery from daprd tells us, before it is merged into a stored DeadLetter. */
export type Arrival = Pick<DeadLetter, 'id' | 'originalTopic' | 'event' | 'cloudEventId' | 'eventId' | 'eventType' | 'reason'>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * CloudEvent extension attributes that may carry why the message failed. daprd 1.18 adds none when it
 * dead-letters (it republishes the original message and its metadata unchanged), so this is only set
 * when a publisher or a future runtime puts one there.
 */
const REASON_ATTRIBUTES = ['deadletterreason', 'reason'] as const;

/** A dead letter's id: the same (topic, event) always maps to the same 32-hex-digit id. */
export function deadLetterId(originalTopic: string, dedupeKey: string): string {
  return createHash('sha256').update(`${originalTopic}\n${dedupeKey}`).digest('hex').slice(0, 32);
}

export const isDeadLetterId = (id: string) => /^[0-9a-f]{32}$/.test(id);

/**
 * Reads a delivered CloudEvent without judging it. The dedupe key is the event's own id when it has
 * one (so two copies of one event, published under different CloudEvent ids, are one dead letter),
 * else the CloudEvent id (stable: daprd dead-letters the original message bytes), else the body itself.
 */
export function arrivalFrom(originalTopic: string, body: unknown, metadataReason: string | undefined): Arrival {
  const ce = isRecord(body) ? body : {};
  const event = isRecord(body) ? (body.data ?? body.data_base64 ?? null) : (body ?? null);
  const data = isRecord(event) ? event : {};
  const cloudEventId = nonEmptyString(ce.id);
  const eventId = nonEmptyString(data.id);
  const reason = REASON_ATTRIBUTES.map((a) => nonEmptyString(ce[a])).find((r) => r !== null) ?? nonEmptyString(metadataReason);
  const dedupeKey = eventId !== null
    ? `event:${eventId}`
    : cloudEventId !== null
      ? `cloudevent:${cloudEventId}`
      : `body:${createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex')}`;
  return {
    id: deadLetterId(originalTopic, dedupeKey),
    originalTopic,
    event,
    cloudEventId,
    eventId,
    eventType: nonEmptyString(data.type),
    reason,
  };
}

export function firstSeen(arrival: Arrival, now: Date): DeadLetter {
  const at = now.toISOString();
  return { ...arrival, firstSeenAt: at, lastSeenAt: at, deliveries: 1, status: 'pending' };
}

/**
 * The same dead letter arrived again. A replayed one that comes back under a NEW CloudEvent id was
 * replayed and failed again, so it is pending again; one under the same CloudEvent id is only daprd
 * redelivering the old dead letter (at-least-once), which changes nothing but the counters. A
 * discarded one stays discarded: the operator decided about this event, we only count.
 */
export function seenAgain(existing: DeadLetter, arrival: Arrival, now: Date): DeadLetter {
  const failedAfterReplay = existing.status === 'replayed' && arrival.cloudEventId !== existing.cloudEventId;
  return {
    ...existing,
    cloudEventId: arrival.cloudEventId ?? existing.cloudEventId,
    reason: arrival.reason ?? existing.reason,
    lastSeenAt: now.toISOString(),
    deliveries: existing.deliveries + 1,
    status: failedAfterReplay ? 'pending' : existing.status,
  };
}
