import type { Express } from 'express';
import type { Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface Deps {
  logger: Logger;
  state: StateStore;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  app.use(healthRoutes(deps.sidecar));
  app.use(subscriptionRoutes(deps.state));
  return finish(app, deps.logger);
}
