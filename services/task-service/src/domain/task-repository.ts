import type { StateStore } from '@todo/dapr';
import { EtagMismatchError } from '@todo/dapr';
import type { Task, TaskEvent } from '@todo/contracts';

/**
 * Task storage on the `statestore` component (daprd prefixes every key with `task-service||`).
 *  - `task:<id>`          the task; written in a transaction whose outbox projection is the event,
 *                          so the state change and its event commit together (Dapr outbox).
 *  - `user:<userId>:tasks` ids of the user's tasks, for listing. Written BEFORE the transaction and
 *                          outside it (every upsert in an outbox transaction is published, so it can't be
 *                          in there). A crash in between leaves an id without a task, which reads skip.
 */
export class TaskRepository {
  constructor(private readonly state: StateStore) {}

  static taskKey = (id: string) => `task:${id}`;
  static userIndexKey = (userId: string) => `user:${userId}:tasks`;

  async find(id: string): Promise<{ task: Task; etag: string } | undefined> {
    const found = await this.state.get<Task>(TaskRepository.taskKey(id));
    return found ? { task: found.value, etag: found.etag } : undefined;
  }

  /** Saves the task and publishes the event atomically (outbox); `etag` makes it a compare-and-set. */
  async commit(task: Task, event: TaskEvent, etag?: string): Promise<void> {
    const key = TaskRepository.taskKey(task.id);
    await this.state.transact([
      { op: 'upsert', key, value: task, ...(etag ? { etag } : {}) },
      // Same key + outbox.projection: published instead of the task itself, never stored.
      { op: 'upsert', key, value: event, metadata: { 'outbox.projection': 'true', contentType: 'application/json' } },
    ]);
  }

  /** Idempotent set-add with an etag loop, so two concurrent creates never lose an id. */
  async addToUserIndex(userId: string, taskId: string): Promise<void> {
    const key = TaskRepository.userIndexKey(userId);
    for (let attempt = 0; ; attempt++) {
      const current = await this.state.get<string[]>(key);
      const ids = current?.value ?? [];
      if (ids.includes(taskId)) return;
      try {
        await this.state.save(key, [...ids, taskId], current ? { etag: current.etag } : {});
        return;
      } catch (err) {
        if (!(err instanceof EtagMismatchError) || attempt >= 10) throw err;
      }
    }
  }
}
