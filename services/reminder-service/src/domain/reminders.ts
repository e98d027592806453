import { EVENT_TYPES, ReminderEvent, TOPICS, type TaskEvent } from '@todo/contracts';
import { EtagMismatchError, updateWithEtag, type EventBus, type StateStore } from '@todo/dapr';
import { TransientError, type Logger , type Clock } from '@todo/service-kit';

export type ReminderStatus = 'scheduled' | 'claimed' | 'sent' | 'cancelled';

export interface Reminder {
  taskId: string;
  userId: string;
  title: string;
  remindAt: string | null;
  status: ReminderStatus;
  /** The due-time bucket it is filed under; a reschedule files it anew and the old entry is ignored. */
  bucket: string | null;
  /** Newest task version applied: older, redelivered or reordered events are ignored. */
  taskVersion: number;
  claimedAt?: string;
  claimedBy?: string;
  sentAt?: string;
}

export interface ReminderDeps {
  state: StateStore;
  events: EventBus;
  clock: Clock;
  /** Identifies this replica in claims (for logs and for telling our claims from others'). */
  instanceId: string;
}

export const reminderKey = (taskId: string) => `reminder:${taskId}`;
export const bucketKey = (minute: string) => `bucket:${minute}`;
export const userIndexKey = (userId: string) => `user:${userId}:reminders`;
export const CURSOR_KEY = 'cursor';

/** `2026-11-22T10:05` — reminders are indexed by the minute they are due, so a tick reads a few keys. */
export const minuteOf = (at: Date | string) => new Date(at).toISOString().slice(0, 16);
export const nextMinute = (minute: string) => minuteOf(new Date(Date.parse(`${minute}:00.000Z`) + 60_000));

/** Stable per (task, remindAt): republishing the same due reminder yields the same event id. */
const eventId = (kind: string, taskId: string, remindAt: string) => `${kind}:${taskId}:${remindAt}`;

async function appendToList(state: StateStore, key: string, value: string): Promise<void> {
  await updateWithEtag<string[]>(state, key, (list = []) => (list.includes(value) ? undefined : [...list, value]));
}

function reminderEvent(type: ReminderEvent['type'], r: Reminder, remindAt: string, correlationId: string, now: Date): ReminderEvent {
  const kind = type.split('.')[1] ?? type;
  // Validated against the contract here, where every reminder event is built.
  return ReminderEvent.parse({
    id: eventId(kind, r.taskId, remindAt),
    type,
    version: 1,
    userId: r.userId,
    occurredAt: now.toISOString(),
    correlationId,
    taskId: r.taskId,
    title: r.title,
    remindAt,
  });
}

/**
 * Applies one task event to the task's reminder. Idempotent and order-tolerant: an event whose task
 * version is not newer than the one applied is ignored. The write is a compare-and-set, so a cron claim
 * in between makes this fail with a transient error and the delivery is retried.
 */
export async function applyTaskEvent(deps: ReminderDeps, event: TaskEvent, log: Logger): Promise<void> {
  const { task } = event;
  const stored = await deps.state.get<Reminder>(reminderKey(task.id));
  const current = stored?.value;
  if (current && current.taskVersion >= task.version) {
    log.debug({ taskId: task.id, version: task.version }, 'stale or repeated task event ignored');
    return;
  }
  const now = deps.clock.now();
  const wantsReminder = event.type !== EVENT_TYPES.taskDeleted && task.status === 'open' && task.remindAt !== null;
  const base: Reminder = current ?? { taskId: task.id, userId: task.userId, title: task.title, remindAt: null, status: 'cancelled', bucket: null, taskVersion: 0 };
  let next: Reminder = { ...base, title: task.title, taskVersion: task.version };
  let announce: ReminderEvent | undefined;

  if (wantsReminder) {
    const sameTime = base.remindAt === task.remindAt && base.status !== 'cancelled';
    if (!sameTime) {
      // Past-due reminders go into the current minute's bucket: the cursor may have moved past theirs.
      const bucket = minuteOf(new Date(Math.max(Date.parse(task.remindAt!), now.getTime())));
      await appendToList(deps.state, bucketKey(bucket), task.id);
      await appendToList(deps.state, userIndexKey(task.userId), task.id);
      next = { ...next, remindAt: task.remindAt, status: 'scheduled', bucket, claimedAt: undefined, claimedBy: undefined, sentAt: undefined };
      announce = reminderEvent(EVENT_TYPES.reminderScheduled, next, task.remindAt!, event.correlationId, now);
    }
  } else if (base.status === 'scheduled' || base.status === 'claimed') {
    next = { ...next, status: 'cancelled' };
    announce = reminderEvent(EVENT_TYPES.reminderCancelled, next, base.remindAt!, event.correlationId, now);
  }

  try {
    await deps.state.save(reminderKey(task.id), next, stored ? { etag: stored.etag } : {});
  } catch (err) {
    if (err instanceof EtagMismatchError) throw new TransientError('reminder changed concurrently', { cause: err });
    throw err;
  }
  if (announce) {
    // Informational; after the save so a failure cannot announce something that did not happen.
    await deps.events.publish(TOPICS.reminders, announce, { partitionKey: task.userId }).catch((err) =>
      log.warn({ err, taskId: task.id }, 'could not announce reminder change'));
    log.info({ taskId: task.id, status: next.status, remindAt: next.remindAt }, `reminder ${next.status}`);
  }
}

/** A claim older than this is presumed abandoned (replica died between claim and publish) and is retried. */
const CLAIM_TIMEOUT_MS = 30_000;
/** Buckets are finished only when a minute older than this, so a reminder filed late is not skipped. */
const BUCKET_GRACE_MS = 60_000;
/** At most this many minutes per tick, so a long outage is caught up over several ticks. */
const MAX_MINUTES_PER_TICK = 120;

export interface TickResult {
  sent: number;
  lostClaims: number;
  minutes: number;
}

/**
 * One cron tick: walk the due-minute buckets from the cursor to now and send what is due. Every replica
 * runs its own timer; a reminder is sent by whichever replica wins the compare-and-set on it (claim),
 * and its reminder.due event id is stable, so a re-send after a crash is deduplicated downstream.
 */
export async function sendDueReminders(deps: ReminderDeps, log: Logger): Promise<TickResult> {
  const now = deps.clock.now();
  const nowMinute = minuteOf(now);
  const cursor = await deps.state.get<{ minute: string }>(CURSOR_KEY);
  let minute = cursor?.value.minute ?? minuteOf(new Date(now.getTime() - 10 * 60_000));
  let canAdvance = true;
  let advanceTo: string | undefined;
  const result: TickResult = { sent: 0, lostClaims: 0, minutes: 0 };

  for (let i = 0; i < MAX_MINUTES_PER_TICK && minute <= nowMinute; i++, minute = nextMinute(minute)) {
    result.minutes++;
    const ids = (await deps.state.get<string[]>(bucketKey(minute)))?.value ?? [];
    let bucketDone = true;
    const reminders = await deps.state.getMany<Reminder>(ids.map(reminderKey));
    for (const id of ids) {
      const stored = reminders.get(reminderKey(id));
      const r = stored?.value;
      if (!stored || !r || r.bucket !== minute || r.status === 'sent' || r.status === 'cancelled' || !r.remindAt) continue;
      if (Date.parse(r.remindAt) > now.getTime()) { bucketDone = false; continue; }
      if (r.status === 'claimed' && r.claimedAt && now.getTime() - Date.parse(r.claimedAt) < CLAIM_TIMEOUT_MS) { bucketDone = false; continue; }
      const claimed: Reminder = { ...r, status: 'claimed', claimedAt: now.toISOString(), claimedBy: deps.instanceId };
      try {
        await deps.state.save(reminderKey(id), claimed, { etag: stored.etag });
      } catch (err) {
        if (!(err instanceof EtagMismatchError)) throw err;
        result.lostClaims++; // another replica (or a task change) got there first
        bucketDone = false;
        continue;
      }
      await deps.events.publish(TOPICS.reminders, reminderEvent(EVENT_TYPES.reminderDue, r, r.remindAt, `reminder:${id}`, now), { partitionKey: r.userId });
      result.sent++;
      log.info({ taskId: id, userId: r.userId, remindAt: r.remindAt }, 'reminder due: sent');
      // If this save fails the claim times out and the reminder is re-sent with the same event id.
      const after = await deps.state.get<Reminder>(reminderKey(id));
      if (after && after.value.status === 'claimed' && after.value.claimedBy === deps.instanceId) {
        await deps.state.save(reminderKey(id), { ...after.value, status: 'sent', sentAt: now.toISOString() }, { etag: after.etag }).catch(() => undefined);
      }
    }
    if (canAdvance && bucketDone && Date.parse(`${minute}:00.000Z`) + 60_000 + BUCKET_GRACE_MS <= now.getTime()) advanceTo = nextMinute(minute);
    else canAdvance = false;
  }

  if (advanceTo) {
    await deps.state.save(CURSOR_KEY, { minute: advanceTo }, cursor ? { etag: cursor.etag } : {}).catch((err) => {
      if (!(err instanceof EtagMismatchError)) throw err; // another replica moved it: fine
    });
  }
  return result;
}

export async function upcomingReminders(deps: ReminderDeps, userId: string, limit = 10) {
  const ids = (await deps.state.get<string[]>(userIndexKey(userId)))?.value ?? [];
  const found = await deps.state.getMany<Reminder>(ids.map(reminderKey));
  const now = deps.clock.now().getTime();
  return [...found.values()]
    .map((v) => v.value)
    .filter((r) => r.userId === userId && r.status === 'scheduled' && r.remindAt && Date.parse(r.remindAt) >= now)
    .sort((a, b) => a.remindAt!.localeCompare(b.remindAt!))
    .slice(0, limit)
    .map((r) => ({ taskId: r.taskId, title: r.title, remindAt: r.remindAt! }));
}
