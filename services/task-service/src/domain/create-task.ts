import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type CreateTaskRequest, type Task, type TaskCreatedV1 } from '@todo/contracts';
import type { TaskRepository } from './task-repository.ts';

export interface Clock {
  now(): Date;
}

export interface CreateTaskDeps {
  tasks: TaskRepository;
  clock: Clock;
  newId?: () => string;
}

export interface Actor {
  userId: string;
  correlationId: string;
}

/** A new open task for the user; its `task.created` event is committed with it. */
export async function createTask(deps: CreateTaskDeps, actor: Actor, input: CreateTaskRequest): Promise<Task> {
  const newId = deps.newId ?? randomUUID;
  const now = deps.clock.now().toISOString();
  const task: Task = {
    id: newId(),
    userId: actor.userId,
    title: input.title,
    description: input.description ?? null,
    priority: input.priority,
    tags: input.tags,
    dueAt: input.dueAt ? new Date(input.dueAt).toISOString() : null,
    remindAt: input.remindAt ? new Date(input.remindAt).toISOString() : null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    version: 1,
  };
  const event: TaskCreatedV1 = {
    id: newId(),
    type: EVENT_TYPES.taskCreated,
    version: 1,
    userId: actor.userId,
    occurredAt: now,
    correlationId: actor.correlationId,
    task,
  };
  await deps.tasks.addToUserIndex(actor.userId, task.id);
  await deps.tasks.commit(task, event);
  return task;
}
