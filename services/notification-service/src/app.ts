import type { Express } from 'express';
import type { EventBus, OutputBinding, Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { feedRoutes } from './routes/feed.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface Deps {
  logger: Logger;
  state: StateStore;
  events: EventBus;
  bindings: OutputBinding;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
  webhookBinding?: string | undefined;
  clock?: { now(): Date };
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  const domain = { state: deps.state, events: deps.events, bindings: deps.bindings, clock: deps.clock ?? { now: () => new Date() }, webhookBinding: deps.webhookBinding };
  app.use(healthRoutes(deps.sidecar));
  app.use(subscriptionRoutes(domain));
  app.use(feedRoutes(domain));
  return finish(app, deps.logger);
}
