import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EVENT_TYPES, Notification, TOPICS, type NotificationEvent } from '@todo/contracts';
import { PagedList, updateWithEtag as update, type EventBus, type OutputBinding, type StateStore } from '@todo/dapr';
import { AppError, type Logger, type Clock } from '@todo/service-kit';

export interface NotificationDeps {
  state: StateStore;
  events: EventBus;
  bindings: OutputBinding;
  clock: Clock;
  /** Dapr output binding for the webhook channel; undefined = channel off. */
  webhookBinding?: string | undefined;
}

export const StoredNotification = Notification.extend({
  userId: z.string(),
  /** The event that caused it: the idempotency key. */
  sourceEventId: z.string(),
});
export type StoredNotification = z.infer<typeof StoredNotification>;

export const DeliveryAttempt = z.object({
  channel: z.enum(['in-app', 'webhook']),
  status: z.enum(['delivered', 'failed']),
  at: z.string(),
  error: z.string().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;
const DeliveryAttempts = z.array(DeliveryAttempt);

export const notificationKey = (id: string) => `notification:${id}`;
export const feedPrefix = (userId: string) => `feed:${userId}`;
export const deliveriesKey = (id: string) => `deliveries:${id}`;

/**
 * Retention. A user's feed keeps its newest FEED_PAGES × FEED_PAGE_SIZE notifications (older pages are
 * dropped as new ones open); a notification and its delivery record expire after RETENTION_DAYS. The
 * notification record is also the dedupe record of its source event, so a redelivery of an event older
 * than that would notify again — far beyond any broker's redelivery window.
 */
export const FEED_PAGE_SIZE = 100;
export const FEED_PAGES = 10;
export const RETENTION_DAYS = 90;
const RETENTION_SECONDS = RETENTION_DAYS * 86_400;

const feedOf = (state: StateStore, userId: string) => new PagedList(state, feedPrefix(userId), { pageSize: FEED_PAGE_SIZE, maxPages: FEED_PAGES });

/** Same source event → same notification id, so a redelivered event finds its notification. */
export const notificationIdFor = (sourceEventId: string) => createHash('sha256').update(sourceEventId).digest('hex').slice(0, 24);

/**
 * Turns a source event into a notification, exactly once in effect: the notification record is written
 * first-write-wins under an id derived from the event id, the feed append and the delivery record are
 * idempotent, so a redelivery re-runs the steps without adding anything twice.
 */
export async function notify(
  deps: NotificationDeps,
  input: Omit<StoredNotification, 'id' | 'createdAt'>,
  correlationId: string,
  log: Logger,
): Promise<StoredNotification> {
  const id = notificationIdFor(input.sourceEventId);
  const candidate: StoredNotification = { ...input, id, createdAt: deps.clock.now().toISOString() };
  const first = await deps.state.claim(notificationKey(id), candidate, { ttlSeconds: RETENTION_SECONDS });
  const notification = first ? candidate : ((await deps.state.get(notificationKey(id), StoredNotification))?.value ?? candidate);
  // Also on a redelivery: the first attempt may have died between the claim and this append. A
  // repeated append is a no-op while the id is on the newest page.
  await feedOf(deps.state, input.userId).append(id);
  if (first) log.info({ notificationId: id, kind: input.kind, taskId: input.taskId, userId: input.userId }, 'notification created');
  else log.info({ notificationId: id }, 'duplicate source event: notification already exists');

  await deliver(deps, notification, correlationId, log);
  return notification;
}

async function deliver(deps: NotificationDeps, n: StoredNotification, correlationId: string, log: Logger) {
  const done = (await deps.state.get(deliveriesKey(n.id), DeliveryAttempts))?.value ?? [];
  const delivered = (channel: DeliveryAttempt['channel']) => done.some((a) => a.channel === channel && a.status === 'delivered');
  const record = (attempt: DeliveryAttempt) =>
    update(deps.state, deliveriesKey(n.id), DeliveryAttempts, (list = []) => [...list, attempt], { ttlSeconds: RETENTION_SECONDS });
  const announce = async (channel: string, failure?: string) => {
    const base = { userId: n.userId, occurredAt: deps.clock.now().toISOString(), correlationId, version: 1 as const, notificationId: n.id, kind: n.kind, channel, taskId: n.taskId };
    const event: NotificationEvent = failure
      ? { ...base, id: `failed:${n.id}:${channel}:${done.length}`, type: EVENT_TYPES.notificationFailed, reason: failure }
      : { ...base, id: `sent:${n.id}:${channel}`, type: EVENT_TYPES.notificationSent };
    await deps.events.publish(TOPICS.notifications, event, { partitionKey: n.userId });
  };

  // The in-app feed is the notification itself: it is delivered once it is stored.
  if (!delivered('in-app')) {
    await record({ channel: 'in-app', status: 'delivered', at: deps.clock.now().toISOString() });
    await announce('in-app');
  }
  if (deps.webhookBinding && !delivered('webhook')) {
    try {
      await deps.bindings.invoke(deps.webhookBinding, 'post', n, { 'Content-Type': 'application/json' });
      await record({ channel: 'webhook', status: 'delivered', at: deps.clock.now().toISOString() });
      await announce('webhook');
    } catch (err) {
      // The binding's own resiliency policy has retried already; the feed has the notification either way.
      const reason = err instanceof Error ? err.message : String(err);
      await record({ channel: 'webhook', status: 'failed', at: deps.clock.now().toISOString(), error: reason.slice(0, 300) });
      await announce('webhook', reason.slice(0, 300));
      log.warn({ notificationId: n.id, err }, 'webhook delivery failed');
    }
  }
}

const PAGE_SIZE = 50;

/** The public shape (contracts' Notification) of stored notifications, in the order of `ids`. */
async function load(deps: NotificationDeps, ids: string[]): Promise<Notification[]> {
  const found = await deps.state.getMany(ids.map(notificationKey), StoredNotification);
  return ids.flatMap((id) => {
    const n = found.get(notificationKey(id))?.value;
    return n ? [{ id: n.id, kind: n.kind, taskId: n.taskId, title: n.title, message: n.message, createdAt: n.createdAt }] : [];
  });
}

/**
 * Oldest first, from `after` (the `next` of the previous answer; absent = from the oldest kept).
 * `next` is always returned, so a client polling with it receives only what arrived since.
 */
export async function feed(deps: NotificationDeps, userId: string, after: string | undefined, limit = PAGE_SIZE) {
  const slice = await feedOf(deps.state, userId).forward(after, limit);
  return { items: await load(deps, slice.ids), next: slice.next };
}

/** Newest first, for the dashboard. */
export async function recent(deps: NotificationDeps, userId: string, limit = 5) {
  return load(deps, await feedOf(deps.state, userId).newest(limit));
}

export async function deliveriesOf(deps: NotificationDeps, userId: string, id: string) {
  const n = (await deps.state.get(notificationKey(id), StoredNotification))?.value;
  if (!n || n.userId !== userId) throw new AppError('not-found', 404, 'notification not found');
  return (await deps.state.get(deliveriesKey(id), DeliveryAttempts))?.value ?? [];
}
