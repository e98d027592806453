import { describe, expect, it } from 'vitest';
import { SidecarError, type StateOperation } from '@todo/dapr';
import { InMemoryStateStore } from '@todo/dapr/fakes';
import type { Actor, Topic, TopicEvent } from '@todo/contracts';
import { TaskRepository, VERSION_CLAIM_TTL_SECONDS } from '../src/domain/task-repository.ts';
import { completeTask, createTask, deleteTask, patchTask, type TaskDeps } from '../src/domain/tasks.ts';

/**
 * The fake store applies a transaction the way Dapr's Redis store does — without rollback: when the
 * task's etag check fails, the outbox marker still applies and the event is still published. Each
 * write also takes a real round trip (a few ms), so racing writers interleave as they do in production.
 */
class SlowStore extends InMemoryStateStore {
  override async commitWithEvent(operations: StateOperation[], projectionKey: string, event: TopicEvent<Topic>) {
    await new Promise((r) => setTimeout(r, 5));
    return super.commitWithEvent(operations, projectionKey, event);
  }
}

function setup(state: InMemoryStateStore = new SlowStore()) {
  const deps: TaskDeps = { tasks: new TaskRepository(state), clock: { now: () => new Date() } };
  const eventsOf = (type: string) => state.outbox.filter((e) => e.type === type) as Array<{ task: { version: number } }>;
  return { deps, state, eventsOf };
}

const actor: Actor = { userId: 'alice', correlationId: 'c' };

describe('racing writers on one task', () => {
  it('when two completions race, then one succeeds, the other gets 409, and exactly one task.completed is published', async () => {
    const { deps, eventsOf } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    const results = await Promise.allSettled([completeTask(deps, actor, task.id), completeTask(deps, actor, task.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 409 });
    expect(eventsOf('task.completed')).toHaveLength(1);
  });

  it('when ten patches race, then all land, each as its own version with exactly one event', async () => {
    const { deps, eventsOf } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    await Promise.all(Array.from({ length: 10 }, (_, i) => patchTask(deps, actor, task.id, { title: `t${i}` })));
    expect(eventsOf('task.updated').map((u) => u.task.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('version claims', () => {
  it('are written with a TTL, so they do not pile up in Redis', async () => {
    const { deps, state } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    await completeTask(deps, actor, task.id);
    expect(state.entries.has(TaskRepository.transitionKey(task.id, 2))).toBe(true);
    expect(state.ttls.get(TaskRepository.transitionKey(task.id, 2))).toBe(VERSION_CLAIM_TTL_SECONDS);
  });

  it('when a write fails after its claim, then the claim is released and the next write succeeds at once', async () => {
    const { deps, state, eventsOf } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    state.failNextTransaction = new SidecarError('state transaction failed', { status: 500 });
    await expect(patchTask(deps, actor, task.id, { title: 'lost' })).rejects.toBeInstanceOf(SidecarError);
    expect(state.entries.has(TaskRepository.transitionKey(task.id, 2))).toBe(false);

    // Before the fix every PATCH answered 409 (and DELETE 500) for 30 s: the claim on version 2 stayed.
    await expect(patchTask(deps, actor, task.id, { title: 'kept' })).resolves.toMatchObject({ title: 'kept', version: 2 });
    state.failNextTransaction = new SidecarError('state transaction failed', { status: 500 });
    await expect(deleteTask(deps, actor, task.id)).rejects.toBeInstanceOf(SidecarError);
    await expect(deleteTask(deps, actor, task.id)).resolves.toBeUndefined();
    expect(eventsOf('task.deleted')).toHaveLength(1);
  });

  it('when another writer holds the claim, then releasing ours leaves theirs alone', async () => {
    const { deps, state } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    await state.claim(TaskRepository.transitionKey(task.id, 2), { at: Date.now(), by: 'someone-else' });
    await expect(completeTask(deps, actor, task.id)).rejects.toMatchObject({ name: 'EtagMismatchError' });
    expect(state.entries.get(TaskRepository.transitionKey(task.id, 2))?.value).toMatchObject({ by: 'someone-else' });
  });
});
