import type { Express } from 'express';
import type { OutboxStateStore } from '@todo/dapr';
import { serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { TaskRepository } from './domain/task-repository.ts';
import { taskRoutes } from './routes/tasks.ts';

export interface Deps extends ServiceDeps {
  state: OutboxStateStore;
  newId?: () => string;
}

export function buildApp(deps: Deps): Express {
  return serviceApp(
    deps,
    taskRoutes({
      tasks: new TaskRepository(deps.state),
      clock: deps.clock ?? systemClock,
      ...(deps.newId ? { newId: deps.newId } : {}),
    }),
  );
}
