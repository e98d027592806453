import type { Express } from 'express';
import type { EventBus, Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import { DeadLetterStore } from './domain/dead-letter-store.ts';
import type { Clock, DeadLetterDeps } from './domain/dead-letters.ts';
import { adminRoutes } from './routes/admin.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { metricsRoutes } from './routes/metrics.ts';

export interface Deps {
  logger: Logger;
  state: StateStore;
  events: EventBus;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
  clock?: Clock;
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  const deadLetters: DeadLetterDeps = {
    store: new DeadLetterStore(deps.state),
    events: deps.events,
    clock: deps.clock ?? { now: () => new Date() },
  };
  app.use(healthRoutes(deps.sidecar));
  app.use(metricsRoutes(deadLetters));
  app.use(adminRoutes(deadLetters));
  app.use(deliveryRoutes(deadLetters));
  return finish(app, deps.logger);
}
