import type { Express } from 'express';
import type { EventBus, StateStore } from '@todo/dapr';
import { createMetrics, serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { DeadLetterStore } from './domain/dead-letter-store.ts';
import type { DeadLetterDeps } from './domain/dead-letters.ts';
import { adminRoutes } from './routes/admin.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { registerDeadLetterMetrics } from './routes/metrics.ts';

export interface Deps extends ServiceDeps {
  state: StateStore;
  events: EventBus;
}

export function buildApp(deps: Deps): Express {
  const deadLetters: DeadLetterDeps = { store: new DeadLetterStore(deps.state), events: deps.events, clock: deps.clock ?? systemClock };
  const metrics = deps.metrics ?? createMetrics();
  registerDeadLetterMetrics(metrics.registry, deadLetters);
  return serviceApp({ ...deps, metrics }, adminRoutes(deadLetters), deliveryRoutes(deadLetters));
}
