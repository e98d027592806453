import { z } from 'zod';
import { EVENT_TYPES, TOPICS, type ReminderDue, type TaskEvent } from '@todo/contracts';
import { EtagMismatchError, updateWithEtag, type EventBus, type StateStore } from '@todo/dapr';
import { TransientError, type Logger, type Clock } from '@todo/service-kit';

export const Reminder = z.object({
  taskId: z.string(),
  userId: z.string(),
  title: z.string(),
  remindAt: z.string().nullable(),
  status: z.enum(['scheduled', 'claimed', 'sent', 'cancelled']),
  /** The due-time bucket it is filed under; a reschedule files it anew and the old entry is ignored. */
  bucket: z.string().nullable(),
  /** Newest task version applied: older, redelivered or reordered events are ignored. */
  taskVersion: z.number().int().min(0),
  claimedAt: z.string().optional(),
  claimedBy: z.string().optional(),
  sentAt: z.string().optional(),
});
export type Reminder = z.infer<typeof Reminder>;
export type ReminderStatus = Reminder['status'];
const Ids = z.array(z.string());
const Cursor = z.object({ minute: z.string() });

export interface ReminderDeps {
  state: StateStore;
  events: EventBus;
  clock: Clock;
  /** Identifies this replica in claims (for logs and for telling our claims from others'). */
  instanceId: string;
}

export const reminderKey = (taskId: string) => `reminder:${taskId}`;
export const bucketKey = (minute: string) => `bucket:${minute}`;
export const CURSOR_KEY = 'cursor';

/**
 * Retention. A minute's bucket is read until the cursor passes it (minutes after it is due, or after
 * an outage has been caught up), so it expires a week after it was last written. A reminder record is
 * the version guard against stale task events and lives as long as its task may still change; it
 * expires RETENTION_DAYS after its last change (a task untouched that long gets a fresh record).
 */
const BUCKET_TTL_SECONDS = 7 * 86_400;
export const RETENTION_DAYS = 365;
const REMINDER_TTL_SECONDS = RETENTION_DAYS * 86_400;

/** `2026-11-22T10:05` — reminders are indexed by the minute they are due, so a tick reads a few keys. */
export const minuteOf = (at: Date | string) => new Date(at).toISOString().slice(0, 16);
export const nextMinute = (minute: string) => minuteOf(new Date(Date.parse(`${minute}:00.000Z`) + 60_000));

/** Stable per (task, remindAt): republishing the same due reminder yields the same event id. */
const eventId = (kind: string, taskId: string, remindAt: string) => `${kind}:${taskId}:${remindAt}`;

async function fileInBucket(state: StateStore, minute: string, taskId: string): Promise<void> {
  await updateWithEtag(state, bucketKey(minute), Ids, (list = []) => (list.includes(taskId) ? undefined : [...list, taskId]), { ttlSeconds: BUCKET_TTL_SECONDS });
}

function dueEvent(r: Reminder, remindAt: string, correlationId: string, now: Date): ReminderDue {
  return {
    id: eventId('due', r.taskId, remindAt),
    type: EVENT_TYPES.reminderDue,
    version: 1,
    userId: r.userId,
    occurredAt: now.toISOString(),
    correlationId,
    taskId: r.taskId,
    title: r.title,
    remindAt,
  };
}

/**
 * Applies one task event to the task's reminder. Idempotent and order-tolerant: an event whose task
 * version is not newer than the one applied is ignored. The write is a compare-and-set, so a cron claim
 * in between makes this fail with a transient error and the delivery is retried. Scheduling and
 * cancelling are not announced on `reminders`: nothing reads such events, and every one would cost a
 * delivery to notification-service only to be ignored (reminder.due is the topic's one event).
 */
export async function applyTaskEvent(deps: ReminderDeps, event: TaskEvent, log: Logger): Promise<void> {
  const { task } = event;
  const stored = await deps.state.get(reminderKey(task.id), Reminder);
  const current = stored?.value;
  if (current && current.taskVersion >= task.version) {
    log.debug({ taskId: task.id, version: task.version }, 'stale or repeated task event ignored');
    return;
  }
  const now = deps.clock.now();
  const wantsReminder = event.type !== EVENT_TYPES.taskDeleted && task.status === 'open' && task.remindAt !== null;
  const base: Reminder = current ?? { taskId: task.id, userId: task.userId, title: task.title, remindAt: null, status: 'cancelled', bucket: null, taskVersion: 0 };
  let next: Reminder = { ...base, title: task.title, taskVersion: task.version };
  let change: 'scheduled' | 'cancelled' | undefined;

  if (wantsReminder) {
    const sameTime = base.remindAt === task.remindAt && base.status !== 'cancelled';
    if (!sameTime) {
      // Past-due reminders go into the current minute's bucket: the cursor may have moved past theirs.
      const bucket = minuteOf(new Date(Math.max(Date.parse(task.remindAt!), now.getTime())));
      await fileInBucket(deps.state, bucket, task.id);
      next = { ...next, remindAt: task.remindAt, status: 'scheduled', bucket, claimedAt: undefined, claimedBy: undefined, sentAt: undefined };
      change = 'scheduled';
    }
  } else if (base.status === 'scheduled' || base.status === 'claimed') {
    next = { ...next, status: 'cancelled' };
    change = 'cancelled';
  }

  try {
    if (stored) await deps.state.save(reminderKey(task.id), next, { etag: stored.etag, ttlSeconds: REMINDER_TTL_SECONDS });
    // The first write of a record is first-write-wins too: two events of one task delivered at once
    // (two partitions) both find no record, and a plain save let the older one overwrite the newer.
    else if (!(await deps.state.claim(reminderKey(task.id), next, { ttlSeconds: REMINDER_TTL_SECONDS }))) throw new EtagMismatchError(reminderKey(task.id));
  } catch (err) {
    if (err instanceof EtagMismatchError) throw new TransientError('reminder changed concurrently', { cause: err });
    throw err;
  }
  if (change) log.info({ taskId: task.id, status: next.status, remindAt: next.remindAt }, `reminder ${change}`);
}

/** A claim older than this is presumed abandoned (replica died between claim and publish) and is retried. */
const CLAIM_TIMEOUT_MS = 30_000;
/** Buckets are finished only when a minute older than this, so a reminder filed late is not skipped. */
const BUCKET_GRACE_MS = 60_000;
/** At most this many minutes per tick, so a long outage is caught up over several ticks. */
const MAX_MINUTES_PER_TICK = 120;

export interface TickResult {
  /** Reminders whose time had come and that this replica claimed. */
  due: number;
  sent: number;
  lostClaims: number;
  minutes: number;
  /** For each one sent: how long after its remindAt (seconds). */
  lateness: number[];
}

/**
 * One cron tick: walk the due-minute buckets from the cursor to now and send what is due. Every replica
 * runs its own timer; a reminder is sent by whichever replica wins the compare-and-set on it (claim),
 * and its reminder.due event id is stable, so a re-send after a crash is deduplicated downstream.
 */
export async function sendDueReminders(deps: ReminderDeps, log: Logger): Promise<TickResult> {
  const now = deps.clock.now();
  const nowMinute = minuteOf(now);
  const cursor = await deps.state.get(CURSOR_KEY, Cursor);
  let minute = cursor?.value.minute ?? minuteOf(new Date(now.getTime() - 10 * 60_000));
  let canAdvance = true;
  let advanceTo: string | undefined;
  const result: TickResult = { due: 0, sent: 0, lostClaims: 0, minutes: 0, lateness: [] };

  for (let i = 0; i < MAX_MINUTES_PER_TICK && minute <= nowMinute; i++, minute = nextMinute(minute)) {
    result.minutes++;
    const ids = (await deps.state.get(bucketKey(minute), Ids))?.value ?? [];
    let bucketDone = true;
    const reminders = await deps.state.getMany(ids.map(reminderKey), Reminder);
    for (const id of ids) {
      const stored = reminders.get(reminderKey(id));
      const r = stored?.value;
      if (!stored || !r || r.bucket !== minute || r.status === 'sent' || r.status === 'cancelled' || !r.remindAt) continue;
      if (Date.parse(r.remindAt) > now.getTime()) { bucketDone = false; continue; }
      if (r.status === 'claimed' && r.claimedAt && now.getTime() - Date.parse(r.claimedAt) < CLAIM_TIMEOUT_MS) { bucketDone = false; continue; }
      const claimed: Reminder = { ...r, status: 'claimed', claimedAt: now.toISOString(), claimedBy: deps.instanceId };
      try {
        await deps.state.save(reminderKey(id), claimed, { etag: stored.etag, ttlSeconds: REMINDER_TTL_SECONDS });
      } catch (err) {
        if (!(err instanceof EtagMismatchError)) throw err;
        result.lostClaims++; // another replica (or a task change) got there first
        bucketDone = false;
        continue;
      }
      result.due++;
      await deps.events.publish(TOPICS.reminders, dueEvent(r, r.remindAt, `reminder:${id}`, now), { partitionKey: r.userId });
      result.sent++;
      result.lateness.push(Math.max(0, (now.getTime() - Date.parse(r.remindAt)) / 1000));
      log.info({ taskId: id, userId: r.userId, remindAt: r.remindAt }, 'reminder due: sent');
      // If this save fails the claim times out and the reminder is re-sent with the same event id.
      const after = await deps.state.get(reminderKey(id), Reminder);
      if (after && after.value.status === 'claimed' && after.value.claimedBy === deps.instanceId) {
        await deps.state
          .save(reminderKey(id), { ...after.value, status: 'sent', sentAt: now.toISOString() }, { etag: after.etag, ttlSeconds: REMINDER_TTL_SECONDS })
          .catch(() => undefined);
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
