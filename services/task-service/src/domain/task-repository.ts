import { EtagMismatchError, updateWithEtag, type StateStore } from '@todo/dapr';
import { TaskEvent, type Task } from '@todo/contracts';

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

const OUTBOX_PROJECTION = { 'outbox.projection': 'true', contentType: 'application/json' };

/**
 * Task storage on the `statestore` component (daprd prefixes every key with `task-service||`).
 *  - `task:<id>`           the task; written in a transaction whose outbox projection is the event, so
 *                           the state change and its event commit together (Dapr transactional outbox).
 *  - `tombstone:<id>`       written when a task is deleted; its projection carries task.deleted
 *                           (the outbox publishes upserts only, so a delete needs one).
 *  - `user:<userId>:tasks`  ids of the user's tasks, for listing. Written outside the transaction (every
 *                           upsert in an outbox transaction is published), before a create and after a
 *                           delete, so it may briefly name a task that does not exist — reads skip those.
 */
export class TaskRepository {
  constructor(private readonly state: StateStore) {}

  static taskKey = (id: string) => `task:${id}`;
  static tombstoneKey = (id: string) => `tombstone:${id}`;
  static userIndexKey = (userId: string) => `user:${userId}:tasks`;

  async find(id: string): Promise<StoredTask | undefined> {
    const found = await this.state.get<Task>(TaskRepository.taskKey(id));
    return found ? { task: found.value, etag: found.etag } : undefined;
  }

  async wasDeleted(id: string): Promise<boolean> {
    return (await this.state.get(TaskRepository.tombstoneKey(id))) !== undefined;
  }

  async listForUser(userId: string): Promise<Task[]> {
    const ids = (await this.state.get<string[]>(TaskRepository.userIndexKey(userId)))?.value ?? [];
    const found = await this.state.getMany<Task>(ids.map(TaskRepository.taskKey));
    return ids.flatMap((id) => {
      const task = found.get(TaskRepository.taskKey(id))?.value;
      return task && task.userId === userId ? [task] : [];
    });
  }

  static transitionKey = (id: string, version: number) => `transition:${id}:v${version}`;

  /**
   * Only one writer may produce version N of a task. Why: Dapr's Redis "transaction" does not roll back
   * — when the task's etag check fails, the transaction's other operations (the outbox marker) still
   * apply, and the outbox then publishes the loser's event. Measured in the fault suite: two racing
   * completions of one task produced two task.completed events. So writers first claim the version
   * (first-write-wins); the loser re-reads instead of sending a transaction that would half-apply.
   * A claim left by a writer that died before committing goes stale after STALE_CLAIM_MS and can be
   * taken over (compare-and-set on the claim).
   */
  private async claimVersion(id: string, version: number): Promise<void> {
    const key = TaskRepository.transitionKey(id, version);
    const ttlSeconds = VERSION_CLAIM_TTL_SECONDS;
    if (await this.state.claim(key, { at: Date.now() }, { ttlSeconds })) return;
    const existing = await this.state.get<{ at: number }>(key);
    if (existing && Date.now() - existing.value.at > STALE_CLAIM_MS) {
      await this.state.save(key, { at: Date.now() }, { etag: existing.etag, ttlSeconds }); // throws if someone else took it
      return;
    }
    throw new EtagMismatchError(key);
  }

  /** Saves the task and publishes the event atomically; with `etag` it is a compare-and-set. */
  async commit(task: Task, event: TaskEvent, etag?: string): Promise<void> {
    const key = TaskRepository.taskKey(task.id);
    TaskEvent.parse(event); // producers validate against the contract before anything is committed
    if (etag) await this.claimVersion(task.id, task.version);
    await this.state.transact([
      { op: 'upsert', key, value: task, ...(etag ? { etag } : {}) },
      // Same key + outbox.projection: published instead of the task itself, never stored.
      { op: 'upsert', key, value: event, metadata: OUTBOX_PROJECTION },
    ]);
  }

  /** Deletes the task (compare-and-set on `etag`) and publishes task.deleted, atomically. */
  async remove(task: Task, event: TaskEvent, etag: string, deletedAt: string): Promise<void> {
    const tombstone = TaskRepository.tombstoneKey(task.id);
    TaskEvent.parse(event);
    await this.claimVersion(task.id, task.version + 1);
    await this.state.transact([
      { op: 'delete', key: TaskRepository.taskKey(task.id), etag },
      { op: 'upsert', key: tombstone, value: { taskId: task.id, userId: task.userId, deletedAt } },
      { op: 'upsert', key: tombstone, value: event, metadata: OUTBOX_PROJECTION },
    ]);
  }

  async addToUserIndex(userId: string, taskId: string): Promise<void> {
    await this.updateIndex(userId, (ids) => (ids.includes(taskId) ? undefined : [...ids, taskId]));
  }

  async removeFromUserIndex(userId: string, taskId: string): Promise<void> {
    await this.updateIndex(userId, (ids) => (ids.includes(taskId) ? ids.filter((id) => id !== taskId) : undefined));
  }

  /** Compare-and-set, so concurrent creates for one user never lose each other's ids. */
  private async updateIndex(userId: string, change: (ids: string[]) => string[] | undefined): Promise<void> {
    await updateWithEtag<string[]>(this.state, TaskRepository.userIndexKey(userId), (ids) => change(ids ?? []));
  }
}
