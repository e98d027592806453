import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '@todo/dapr/fakes';
import type { StateOperation } from '@todo/dapr';
import { TaskRepository, VERSION_CLAIM_TTL_SECONDS } from '../src/domain/task-repository.ts';
import { completeTask, createTask, patchTask, type TaskDeps } from '../src/domain/tasks.ts';

/** Records every transaction that would reach the outbox (each one publishes its projection). */
function setup(state = new InMemoryStateStore()) {
  const published: unknown[] = [];
  const commit = state.transact.bind(state);
  state.transact = async (ops: StateOperation[]) => {
    await new Promise((r) => setTimeout(r, 5)); // a real round trip: lets racing writers interleave
    await commit(ops);
    for (const op of ops) if (op.op === 'upsert' && op.metadata?.['outbox.projection'] === 'true') published.push(op.value);
  };
  const deps: TaskDeps = { tasks: new TaskRepository(state), clock: { now: () => new Date() } };
  return { deps, published };
}

const actor = { userId: 'alice', correlationId: 'c' };

describe('racing writers on one task', () => {
  it('two concurrent completions: one succeeds, the other gets 409, and exactly one task.completed is committed', async () => {
    const { deps, published } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    const results = await Promise.allSettled([completeTask(deps, actor, task.id), completeTask(deps, actor, task.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 409 });
    expect(published.filter((e) => (e as { type: string }).type === 'task.completed')).toHaveLength(1);
  });

  it('ten concurrent patches all land, each as its own version with one event', async () => {
    const { deps, published } = setup();
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    await Promise.all(Array.from({ length: 10 }, (_, i) => patchTask(deps, actor, task.id, { title: `t${i}` })));
    const updates = published.filter((e) => (e as { type: string }).type === 'task.updated') as Array<{ task: { version: number } }>;
    expect(updates.map((u) => u.task.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('version claims', () => {
  it('are written with a TTL, so they do not pile up in Redis', async () => {
    const state = new InMemoryStateStore();
    const { deps } = setup(state);
    const task = await createTask(deps, actor, { title: 'x', priority: 'medium', tags: [] });
    await completeTask(deps, actor, task.id);
    expect(state.entries.has(TaskRepository.transitionKey(task.id, 2))).toBe(true);
    expect(state.ttls.get(TaskRepository.transitionKey(task.id, 2))).toBe(VERSION_CLAIM_TTL_SECONDS);
  });
});
