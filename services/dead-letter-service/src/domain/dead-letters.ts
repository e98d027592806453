import { TOPICS, isTopic } from '@todo/contracts';
import { InvalidEventError, type EventBus } from '@todo/dapr';
import { AppError, notFound, type Clock, type Logger } from '@todo/service-kit';
import { isDeadLetterId, type Arrival, type DeadLetter, type DeadLetterStatus } from './dead-letter.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';

export interface DeadLetterDeps {
  store: DeadLetterStore;
  events: EventBus;
  clock: Clock;
}

/**
 * Keeps one dead letter. Idempotent: its id comes from the topic and the event, so a redelivery only
 * bumps `deliveries`/`lastSeenAt` on the record that is already there.
 */
export async function receiveDeadLetter(deps: DeadLetterDeps, arrival: Arrival, log: Logger): Promise<DeadLetter> {
  const { deadLetter, created } = await deps.store.record(arrival, deps.clock.now());
  const fields = { deadLetterId: deadLetter.id, topic: deadLetter.originalTopic, eventId: deadLetter.eventId, eventType: deadLetter.eventType };
  if (created) log.warn({ ...fields, reason: deadLetter.reason }, 'dead letter received');
  else log.info({ ...fields, deliveries: deadLetter.deliveries, status: deadLetter.status }, 'dead letter seen again');
  return deadLetter;
}

export interface ListFilter {
  topic?: string | undefined;
  status: DeadLetterStatus | 'all';
  cursor?: string | undefined;
  limit: number;
}

/**
 * Oldest first (by when the dead letter first arrived). Pending ones (the default) come from the
 * per-topic work queues, all at once; other statuses page through the history with a cursor, and a
 * filtered page may hold fewer than `limit` items (follow `next`).
 */
export async function listDeadLetters(deps: Pick<DeadLetterDeps, 'store'>, filter: ListFilter): Promise<{ items: DeadLetter[]; next: string | null }> {
  if (filter.status === 'pending') {
    return { items: await deps.store.pending(filter.topic !== undefined ? [filter.topic] : Object.values(TOPICS)), next: null };
  }
  const page = await deps.store.history(filter.cursor, filter.limit);
  const items = page.items.filter((d) => (filter.topic === undefined || d.originalTopic === filter.topic) && (filter.status === 'all' || d.status === filter.status));
  return { items, next: page.next };
}

export async function getDeadLetter(deps: Pick<DeadLetterDeps, 'store'>, id: string): Promise<DeadLetter> {
  const found = isDeadLetterId(id) ? await deps.store.find(id) : undefined;
  if (!found) throw notFound('dead letter');
  return found;
}

const isJsonObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Republishes the stored event, unchanged, to its original topic. It keeps its own id, so consumers
 * that already handled it dedupe it. Replaying an already replayed dead letter is allowed on purpose:
 * the operator fixed the consumer, replayed, found one more bug, fixed that too and replays again.
 */
export async function replayDeadLetter(deps: DeadLetterDeps, id: string, actor: string, log: Logger): Promise<DeadLetter> {
  const deadLetter = await getDeadLetter(deps, id);
  if (deadLetter.status === 'discarded') throw new AppError('dead-letter-discarded', 409, 'a discarded dead letter cannot be replayed');
  const topic = deadLetter.originalTopic;
  if (!isJsonObject(deadLetter.event) || !isTopic(topic)) {
    throw new AppError('not-replayable', 409, 'the dead letter carries no JSON object for a known topic to republish');
  }
  try {
    await deps.events.republish(topic, deadLetter.event);
  } catch (err) {
    // Replaying what consumers cannot read would only dead-letter it again: fix the data first.
    if (err instanceof InvalidEventError) throw new AppError('not-replayable', 409, `the event does not match what ${topic} consumers accept`, { cause: err });
    throw err;
  }
  // Published first, marked second: if marking fails the operator replays again and consumers absorb
  // the second copy (same event id); marking first could record a replay that never went out. A
  // discard that raced in between loses: the event did go out.
  const replayedAt = deps.clock.now().toISOString();
  const updated = await deps.store.update(id, (d) => ({ ...d, status: 'replayed', replayedAt, handledBy: actor }));
  if (!updated) throw notFound('dead letter');
  log.info({ deadLetterId: id, topic: updated.originalTopic, eventId: updated.eventId, by: actor }, 'dead letter replayed');
  return updated;
}

/** Marks it discarded; the record stays, for audit. Discarding twice is a no-op that still succeeds. */
export async function discardDeadLetter(deps: Pick<DeadLetterDeps, 'store' | 'clock'>, id: string, actor: string, log: Logger): Promise<DeadLetter> {
  if (!isDeadLetterId(id)) throw notFound('dead letter');
  const discardedAt = deps.clock.now().toISOString();
  const updated = await deps.store.update(id, (d) => (d.status === 'discarded' ? d : { ...d, status: 'discarded', discardedAt, handledBy: actor }));
  if (!updated) throw notFound('dead letter');
  log.info({ deadLetterId: id, topic: updated.originalTopic, eventId: updated.eventId, by: actor }, 'dead letter discarded');
  return updated;
}

/** Pending dead letters per original topic; every topic in `topics` is present, with 0 when none. */
export async function pendingByTopic(deps: Pick<DeadLetterDeps, 'store'>, topics: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(topics.map((t) => [t, 0]));
  for (const d of await deps.store.pending(topics)) counts.set(d.originalTopic, (counts.get(d.originalTopic) ?? 0) + 1);
  return counts;
}
