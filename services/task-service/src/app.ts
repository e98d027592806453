import type { Express } from 'express';
import type { Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { TaskRepository } from './domain/task-repository.ts';
import type { Clock } from './domain/tasks.ts';
import { taskRoutes } from './routes/tasks.ts';

export interface Deps {
  logger: Logger;
  state: StateStore;
  sidecar: Sidecar;
  clock?: Clock;
  appApiToken?: string | undefined;
  newId?: () => string;
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  app.use(healthRoutes(deps.sidecar));
  app.use(
    taskRoutes({
      tasks: new TaskRepository(deps.state),
      clock: deps.clock ?? { now: () => new Date() },
      ...(deps.newId ? { newId: deps.newId } : {}),
    }),
  );
  return finish(app, deps.logger);
}
