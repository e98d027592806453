import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StoredTask as StoredTaskSchema, type Task, type TaskEvent } from '@todo/contracts';
import { EtagMismatchError, PagedList, type OutboxStateStore } from '@todo/dapr';

export interface StoredTask {
  task: Task;
  etag: string;
}

/** A version claim older than this belongs to a writer that died before committing. */
const STALE_CLAIM_MS = 30_000;
/**
 * Redis drops a version claim after a day, so claims do not pile up forever. A claim only has to outlive
 * the writers racing for that version, and each of them read the task moments before (a request is
 * cut off by the gateway's 10 s invocation timeout), so a day is a wide margin.
 */
export const VERSION_CLAIM_TTL_SECONDS = 86_400;
/**
 * A deleted task's tombstone answers "was this occurrence deleted?" for recurring series and carries the
 * task.deleted event through the outbox. A recurring series' next occurrence is created within minutes of
 * the completion (recurring-service's retries), so 30 days is a wide margin.
 */
export const TOMBSTONE_TTL_SECONDS = 30 * 86_400;

const Claim = z.object({ at: z.number(), by: z.string() });
const Tombstone = z.object({ taskId: z.string(), userId: z.string(), deletedAt: z.string() });

/**
 * Task storage on the `statestore` component (daprd prefixes every key with `task-service||`).
 *  - `task:<id>`            the task; written with its event through the outbox (commitWithEvent), so
 *                            the state change and its event commit together.
 *  - `tombstone:<id>`        written when a task is deleted; it carries task.deleted (the outbox
 *                            publishes upserts only, so a delete needs one). Expires after 30 days.
 *  - `transition:<id>:v<n>`  the claim on version n of a task (see claimVersion). Expires after a day.
 *  - `user:<userId>:tasks…`  the user's task ids in creation order, in pages of 100 (PagedList):
 *                            written before a create, never rewritten whole; ids of deleted tasks stay
 *                            and are skipped by readers.
 */
export class TaskRepository {
  constructor(private readonly state: OutboxStateStore) {}

  static taskKey = (id: string) => `task:${id}`;
  static tombstoneKey = (id: string) => `tombstone:${id}`;
  static userIndexPrefix = (userId: string) => `user:${userId}:tasks`;
  static transitionKey = (id: string, version: number) => `transition:${id}:v${version}`;

  private index(userId: string) {
    return new PagedList(this.state, TaskRepository.userIndexPrefix(userId), { pageSize: 100 });
  }

  async find(id: string): Promise<StoredTask | undefined> {
    const found = await this.state.get(TaskRepository.taskKey(id), StoredTaskSchema);
    return found ? { task: found.value, etag: found.etag } : undefined;
  }

  async wasDeleted(id: string): Promise<boolean> {
    return (await this.state.get(TaskRepository.tombstoneKey(id), Tombstone)) !== undefined;
  }

  /**
   * The user's tasks in creation order, from `cursor`, that pass `accept`, until `limit` of them or
   * `scanLimit` ids were looked at (so a selective filter costs bounded work per call; the caller
   * follows `next`). `next` is null once the end was reached.
   */
  async listForUser(userId: string, options: { cursor?: string | undefined; limit: number; scanLimit: number; accept: (t: Task) => boolean }) {
    const index = this.index(userId);
    const items: Task[] = [];
    let cursor = options.cursor;
    let scanned = 0;
    for (;;) {
      const want = Math.min(options.limit - items.length, options.scanLimit - scanned);
      const slice = await index.forward(cursor, want);
      scanned += slice.ids.length;
      const found = await this.state.getMany(slice.ids.map(TaskRepository.taskKey), StoredTaskSchema);
      for (const id of slice.ids) {
        const task = found.get(TaskRepository.taskKey(id))?.value;
        if (task && task.userId === userId && options.accept(task)) items.push(task);
      }
      cursor = slice.next;
      if (slice.end) return { items, next: null };
      if (items.length >= options.limit || scanned >= options.scanLimit) return { items, next: cursor };
    }
  }

  /** Every task of the user, a few pages per round trip (for counts that must see all of them). */
  async *allForUser(userId: string): AsyncGenerator<Task[]> {
    for await (const ids of this.index(userId).all()) {
      const found = await this.state.getMany(ids.map(TaskRepository.taskKey), StoredTaskSchema);
      yield ids.flatMap((id) => {
        const task = found.get(TaskRepository.taskKey(id))?.value;
        return task && task.userId === userId ? [task] : [];
      });
    }
  }

  /**
   * Only one writer may produce version N of a task. Why: Dapr's Redis "transaction" does not roll back
   * — when the task's etag check fails, the transaction's other operations (the outbox marker) still
   * apply, and the outbox then publishes the loser's event. Measured in the fault suite: two racing
   * completions of one task produced two task.completed events. So writers first claim the version
   * (first-write-wins); the loser re-reads instead of sending a transaction that would half-apply.
   * A claim left by a writer that died before committing goes stale after STALE_CLAIM_MS and can be
   * taken over (compare-and-set on the claim). Returns the claim's owner token, for release.
   */
  private async claimVersion(id: string, version: number): Promise<string> {
    const key = TaskRepository.transitionKey(id, version);
    const by = randomUUID();
    const ttlSeconds = VERSION_CLAIM_TTL_SECONDS;
    if (await this.state.claim(key, { at: Date.now(), by }, { ttlSeconds })) return by;
    const existing = await this.state.get(key, Claim);
    if (existing && Date.now() - existing.value.at > STALE_CLAIM_MS) {
      await this.state.save(key, { at: Date.now(), by }, { etag: existing.etag, ttlSeconds }); // throws if someone else took it
      return by;
    }
    throw new EtagMismatchError(key);
  }

  /**
   * A write that failed after its claim gives the version back at once, so the next writer does not
   * wait STALE_CLAIM_MS for it (before: every PATCH answered 409 for 30 s after one failed write). Only
   * our own claim is released (compare-and-set on its owner token); if releasing fails too, the claim
   * still goes stale.
   */
  private async releaseClaim(id: string, version: number, by: string): Promise<void> {
    const key = TaskRepository.transitionKey(id, version);
    const claim = await this.state.get(key, Claim).catch(() => undefined);
    if (claim?.value.by === by) await this.state.delete(key, { etag: claim.etag }).catch(() => undefined);
  }

  /** Runs `write` holding the claim on `version`; on failure the claim is released and the error rethrown. */
  private async withClaim(id: string, version: number, write: () => Promise<void>): Promise<void> {
    const by = await this.claimVersion(id, version);
    try {
      await write();
    } catch (err) {
      await this.releaseClaim(id, version, by);
      throw err;
    }
  }

  /** Saves the task and publishes the event atomically; with `etag` (an update) it claims the version first. */
  async commit(task: Task, event: TaskEvent, etag?: string): Promise<void> {
    const key = TaskRepository.taskKey(task.id);
    const write = () => this.state.commitWithEvent([{ op: 'upsert', key, value: task, ...(etag ? { etag } : {}) }], key, event);
    if (etag) await this.withClaim(task.id, task.version, write);
    else await write();
  }

  /** Deletes the task (compare-and-set on `etag`) and publishes task.deleted, atomically. */
  async remove(task: Task, event: TaskEvent, etag: string, deletedAt: string): Promise<void> {
    const tombstone = TaskRepository.tombstoneKey(task.id);
    await this.withClaim(task.id, task.version + 1, () =>
      this.state.commitWithEvent(
        [
          { op: 'delete', key: TaskRepository.taskKey(task.id), etag },
          { op: 'upsert', key: tombstone, value: { taskId: task.id, userId: task.userId, deletedAt }, ttlSeconds: TOMBSTONE_TTL_SECONDS },
        ],
        tombstone,
        event,
      ));
  }

  async addToUserIndex(userId: string, taskId: string): Promise<void> {
    await this.index(userId).append(taskId);
  }
}
