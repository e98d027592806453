import { createHash } from 'node:crypto';
import { EVENT_TYPES, NotificationEvent, TOPICS, type Notification } from '@todo/contracts';
import { updateWithEtag as update, type EventBus, type OutputBinding, type StateStore } from '@todo/dapr';
import { AppError, type Logger , type Clock } from '@todo/service-kit';

export interface NotificationDeps {
  state: StateStore;
  events: EventBus;
  bindings: OutputBinding;
  clock: Clock;
  /** Dapr output binding for the webhook channel; undefined = channel off. */
  webhookBinding?: string | undefined;
}

export interface StoredNotification extends Notification {
  userId: string;
  /** The event that caused it: the idempotency key. */
  sourceEventId: string;
}

export interface DeliveryAttempt {
  channel: 'in-app' | 'webhook';
  status: 'delivered' | 'failed';
  at: string;
  error?: string;
}

export const notificationKey = (id: string) => `notification:${id}`;
export const feedKey = (userId: string) => `feed:${userId}`;
export const deliveriesKey = (id: string) => `deliveries:${id}`;

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
  const first = await deps.state.claim(notificationKey(id), candidate);
  const notification = first ? candidate : ((await deps.state.get<StoredNotification>(notificationKey(id)))?.value ?? candidate);
  await update<string[]>(deps.state, feedKey(input.userId), (ids = []) => (ids.includes(id) ? undefined : [...ids, id]));
  if (first) log.info({ notificationId: id, kind: input.kind, taskId: input.taskId, userId: input.userId }, 'notification created');
  else log.info({ notificationId: id }, 'duplicate source event: notification already exists');

  await deliver(deps, notification, correlationId, log);
  return notification;
}

async function deliver(deps: NotificationDeps, n: StoredNotification, correlationId: string, log: Logger) {
  const done = (await deps.state.get<DeliveryAttempt[]>(deliveriesKey(n.id)))?.value ?? [];
  const delivered = (channel: DeliveryAttempt['channel']) => done.some((a) => a.channel === channel && a.status === 'delivered');
  const record = (attempt: DeliveryAttempt) => update<DeliveryAttempt[]>(deps.state, deliveriesKey(n.id), (list = []) => [...list, attempt]);
  const announce = async (channel: string, failure?: string) => {
    const base = { userId: n.userId, occurredAt: deps.clock.now().toISOString(), correlationId, version: 1 as const, notificationId: n.id, kind: n.kind, channel, taskId: n.taskId };
    const event: NotificationEvent = failure
      ? { ...base, id: `failed:${n.id}:${channel}:${done.length}`, type: EVENT_TYPES.notificationFailed, reason: failure }
      : { ...base, id: `sent:${n.id}:${channel}`, type: EVENT_TYPES.notificationSent };
    await deps.events.publish(TOPICS.notifications, NotificationEvent.parse(event), { partitionKey: n.userId });
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
  const found = await deps.state.getMany<StoredNotification>(ids.map(notificationKey));
  return ids.flatMap((id) => {
    const n = found.get(notificationKey(id))?.value;
    return n ? [{ id: n.id, kind: n.kind, taskId: n.taskId, title: n.title, message: n.message, createdAt: n.createdAt }] : [];
  });
}

const feedIds = async (deps: NotificationDeps, userId: string) => (await deps.state.get<string[]>(feedKey(userId)))?.value ?? [];

/** Oldest first; `after` is the id of the last notification the client has; `next` is the cursor to use next. */
export async function feed(deps: NotificationDeps, userId: string, after: string | undefined, limit = PAGE_SIZE) {
  const ids = await feedIds(deps, userId);
  let start = 0;
  if (after) {
    const at = ids.indexOf(after);
    if (at === -1) throw new AppError('invalid-cursor', 400, 'unknown cursor in `after`');
    start = at + 1;
  }
  const page = ids.slice(start, start + limit);
  return { items: await load(deps, page), next: page.at(-1) ?? after ?? null };
}

/** Newest first, for the dashboard. */
export async function recent(deps: NotificationDeps, userId: string, limit = 5) {
  return load(deps, (await feedIds(deps, userId)).slice(-limit).reverse());
}

export async function deliveriesOf(deps: NotificationDeps, userId: string, id: string) {
  const n = (await deps.state.get<StoredNotification>(notificationKey(id)))?.value;
  if (!n || n.userId !== userId) throw new AppError('not-found', 404, 'notification not found');
  return (await deps.state.get<DeliveryAttempt[]>(deliveriesKey(id)))?.value ?? [];
}
