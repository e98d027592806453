import { createHash, randomUUID } from 'node:crypto';
import {
  EVENT_TYPES,
  remindNotAfterDue,
  remindNotAfterDueIssue,
  type Actor,
  type CreateTaskRequest,
  type ListTasksQuery,
  type PatchTaskRequest,
  type Task,
  type TaskEvent,
  type TaskPage,
  type TaskSummary,
} from '@todo/contracts';
import { EtagMismatchError, retryOnConflict } from '@todo/dapr';
import { AppError, notFound, type Clock } from '@todo/service-kit';
import type { TaskRepository } from './task-repository.ts';

export interface TaskDeps {
  tasks: TaskRepository;
  clock: Clock;
  newId?: () => string;
}

/** A filtered list looks at most this many tasks per call, so its cost is bounded whatever the filter. */
const LIST_SCAN_LIMIT = 1_000;

const iso = (value: string | undefined | null) => (value ? new Date(value).toISOString() : null);

function envelope(deps: TaskDeps, actor: Actor, id?: string) {
  return {
    id: id ?? (deps.newId ?? randomUUID)(),
    userId: actor.userId,
    occurredAt: deps.clock.now().toISOString(),
    correlationId: actor.correlationId,
    version: 2 as const, // task event schema version (see contracts)
  };
}

function newTask(deps: TaskDeps, actor: Actor, input: CreateTaskRequest, id: string, seriesId: string | null): Task {
  const now = deps.clock.now().toISOString();
  return {
    id,
    userId: actor.userId,
    title: input.title,
    description: input.description ?? null,
    priority: input.priority,
    tags: input.tags,
    dueAt: iso(input.dueAt),
    remindAt: iso(input.remindAt),
    recurrence: input.recurrence ? { ...input.recurrence, ...(input.recurrence.until ? { until: iso(input.recurrence.until)! } : {}) } : null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    // The first instance of a recurring task starts its series.
    seriesId: seriesId ?? (input.recurrence ? id : null),
    version: 1,
  };
}

export async function createTask(deps: TaskDeps, actor: Actor, input: CreateTaskRequest): Promise<Task> {
  const task = newTask(deps, actor, input, (deps.newId ?? randomUUID)(), null);
  await deps.tasks.addToUserIndex(actor.userId, task.id);
  await deps.tasks.commit(task, { ...envelope(deps, actor), type: EVENT_TYPES.taskCreated, task });
  return task;
}

/** A uuid-shaped id derived from the inputs: the same occurrence of a series always gets the same id. */
const derivedId = (...parts: string[]) => {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * The next instance of a recurring series. Idempotent on (series, occurrence): the task id and the
 * event id are derived from them, so a retried or duplicated call finds the task (created = false)
 * instead of making a second one, and a repeated publish carries the same event id.
 */
export async function createOccurrence(
  deps: TaskDeps,
  actor: Actor,
  seriesId: string,
  occurrence: string,
  input: CreateTaskRequest,
): Promise<{ task: Task; created: boolean }> {
  const id = derivedId(seriesId, occurrence);
  const existing = await deps.tasks.find(id);
  if (existing) {
    if (existing.task.userId !== actor.userId) throw notFound('series');
    return { task: existing.task, created: false };
  }
  if (await deps.tasks.wasDeleted(id)) throw new AppError('occurrence-deleted', 409, 'this occurrence was created and deleted');
  const task = newTask(deps, actor, input, id, seriesId);
  await deps.tasks.addToUserIndex(actor.userId, task.id);
  await deps.tasks.commit(task, { ...envelope(deps, actor, derivedId('created', id)), type: EVENT_TYPES.taskCreated, task });
  return { task, created: true };
}

/**
 * The caller's tasks in creation order, one page at a time: O(page), not O(all the user's tasks). A
 * filtered page may hold fewer than `limit` items when matches are sparse (it looks at up to
 * LIST_SCAN_LIMIT tasks); `next` continues where it stopped and is null after the last task.
 */
export async function listTasks(deps: TaskDeps, userId: string, query: ListTasksQuery): Promise<TaskPage> {
  const accept = (t: Task) =>
    (!query.status || t.status === query.status) && (!query.priority || t.priority === query.priority) && (!query.tag || t.tags.includes(query.tag));
  return deps.tasks.listForUser(userId, { cursor: query.cursor, limit: query.limit, scanLimit: LIST_SCAN_LIMIT, accept });
}

const UPCOMING_REMINDERS = 10;

/**
 * Counts over every task of the user, and the next reminders of open tasks (reads them all, a few pages
 * per round trip: the one read in the platform that is O(the user's tasks), for the dashboard).
 */
export async function summarizeTasks(deps: TaskDeps, userId: string): Promise<TaskSummary> {
  const now = deps.clock.now().getTime();
  const nowDate = deps.clock.now();
  const endOfDay = Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth(), nowDate.getUTCDate() + 1);
  const summary: TaskSummary = { open: 0, completed: 0, overdue: 0, dueToday: 0, upcomingReminders: [] };
  const upcoming: Task[] = [];
  for await (const tasks of deps.tasks.allForUser(userId)) {
    for (const t of tasks) {
      if (t.status === 'completed') {
        summary.completed++;
        continue;
      }
      summary.open++;
      const due = t.dueAt ? Date.parse(t.dueAt) : undefined;
      if (due !== undefined && due < now) summary.overdue++;
      else if (due !== undefined && due < endOfDay) summary.dueToday++;
      if (t.remindAt && Date.parse(t.remindAt) >= now) upcoming.push(t);
    }
  }
  summary.upcomingReminders = upcoming
    .sort((a, b) => a.remindAt!.localeCompare(b.remindAt!))
    .slice(0, UPCOMING_REMINDERS)
    .map((t) => ({ taskId: t.id, title: t.title, remindAt: t.remindAt! }));
  return summary;
}

/** Another user's task is indistinguishable from a missing one (404), so ids leak nothing. */
async function findOwned(deps: TaskDeps, userId: string, id: string) {
  const stored = await deps.tasks.find(id);
  if (!stored || stored.task.userId !== userId) throw notFound('task');
  return stored;
}

export async function getTask(deps: TaskDeps, userId: string, id: string): Promise<Task> {
  return (await findOwned(deps, userId, id)).task;
}

/**
 * Read, check, write with the etag read. A concurrent writer makes the write fail; with If-Match the
 * caller asked for exactly that version (412), without it the change is applied again to the new
 * version (retryOnConflict). When every attempt loses, the EtagMismatchError becomes a 409 at the edge.
 */
async function mutate(
  deps: TaskDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
  change: (task: Task, now: string) => { task: Task; event: TaskEvent },
): Promise<Task> {
  return retryOnConflict(async () => {
    const { task, etag } = await findOwned(deps, actor.userId, id);
    if (expectedVersion !== undefined && task.version !== expectedVersion) {
      throw new AppError('version-mismatch', 412, `task is at version ${task.version}, not ${expectedVersion}`);
    }
    const next = change(task, deps.clock.now().toISOString());
    try {
      await deps.tasks.commit(next.task, next.event, etag);
    } catch (err) {
      if (err instanceof EtagMismatchError && expectedVersion !== undefined) throw new AppError('version-mismatch', 412, 'task was changed concurrently');
      throw err;
    }
    return next.task;
  });
}

export async function patchTask(deps: TaskDeps, actor: Actor, id: string, patch: PatchTaskRequest, expectedVersion?: number): Promise<Task> {
  return mutate(deps, actor, id, expectedVersion, (task, now) => {
    const next: Task = { ...task };
    const changed: string[] = [];
    const set = <K extends keyof Task>(key: K, value: Task[K]) => {
      if (JSON.stringify(next[key]) !== JSON.stringify(value)) changed.push(key);
      next[key] = value;
    };
    if (patch.title !== undefined) set('title', patch.title);
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.priority !== undefined) set('priority', patch.priority);
    if (patch.tags !== undefined) set('tags', patch.tags);
    if (patch.dueAt !== undefined) set('dueAt', iso(patch.dueAt));
    if (patch.remindAt !== undefined) set('remindAt', iso(patch.remindAt));
    if (patch.recurrence !== undefined) {
      set('recurrence', patch.recurrence && { ...patch.recurrence, ...(patch.recurrence.until ? { until: iso(patch.recurrence.until)! } : {}) });
      if (patch.recurrence && !next.seriesId) set('seriesId', next.id);
    }
    if (!remindNotAfterDue(next)) {
      throw new AppError('validation-failed', 400, 'request is invalid', { errors: [{ path: remindNotAfterDueIssue().path.join('.'), message: remindNotAfterDueIssue().message }] });
    }
    Object.assign(next, { updatedAt: now, version: task.version + 1 });
    return { task: next, event: { ...envelope(deps, actor), type: EVENT_TYPES.taskUpdated, task: next, changed } };
  });
}

export async function completeTask(deps: TaskDeps, actor: Actor, id: string): Promise<Task> {
  return mutate(deps, actor, id, undefined, (task, now) => {
    if (task.status === 'completed') throw new AppError('already-completed', 409, 'task is already completed');
    const next: Task = { ...task, status: 'completed', completedAt: now, updatedAt: now, version: task.version + 1 };
    return { task: next, event: { ...envelope(deps, actor), type: EVENT_TYPES.taskCompleted, task: next } };
  });
}

/** The task goes, its tombstone carries task.deleted; its id stays in the user's index and is skipped. */
export async function deleteTask(deps: TaskDeps, actor: Actor, id: string): Promise<void> {
  await retryOnConflict(async () => {
    const { task, etag } = await findOwned(deps, actor.userId, id);
    const now = deps.clock.now().toISOString();
    const gone: Task = { ...task, updatedAt: now, version: task.version + 1 };
    await deps.tasks.remove(task, { ...envelope(deps, actor), type: EVENT_TYPES.taskDeleted, task: gone }, etag, now);
  });
}
