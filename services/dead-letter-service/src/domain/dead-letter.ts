import { createHash } from 'node:crypto';
import { DEAD_LETTER_ID_PATTERN, DEAD_LETTER_STATUSES, DeadLetter } from '@todo/contracts';

// The public shape lives in the contracts (the admin API answers it as stored).
export { DEAD_LETTER_STATUSES, DeadLetter };
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

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

export const isDeadLetterId = (id: string) => DEAD_LETTER_ID_PATTERN.test(id);

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
