import type { Express } from 'express';
import type { EventBus, ServiceInvoker, Sidecar } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface Deps {
  logger: Logger;
  invoker: ServiceInvoker;
  events: EventBus;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
  clock?: { now(): Date };
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  app.use(healthRoutes(deps.sidecar));
  app.use(subscriptionRoutes({ invoker: deps.invoker, events: deps.events, clock: deps.clock ?? { now: () => new Date() } }));
  return finish(app, deps.logger);
}
