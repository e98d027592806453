import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { EventBus, Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { reminderRoutes } from './routes/routes.ts';

export interface Deps {
  logger: Logger;
  state: StateStore;
  events: EventBus;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
  clock?: { now(): Date };
  instanceId?: string;
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  app.use(healthRoutes(deps.sidecar));
  app.use(
    reminderRoutes({
      state: deps.state,
      events: deps.events,
      clock: deps.clock ?? { now: () => new Date() },
      instanceId: deps.instanceId ?? randomUUID(),
    }),
  );
  return finish(app, deps.logger);
}
