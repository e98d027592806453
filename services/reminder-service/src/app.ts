import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { EventBus, StateStore } from '@todo/dapr';
import { createMetrics, serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { reminderRoutes } from './routes/routes.ts';

export interface Deps extends ServiceDeps {
  state: StateStore;
  events: EventBus;
  instanceId?: string;
}

export function buildApp(deps: Deps): Express {
  const metrics = deps.metrics ?? createMetrics();
  return serviceApp(
    { ...deps, metrics },
    reminderRoutes({ state: deps.state, events: deps.events, clock: deps.clock ?? systemClock, instanceId: deps.instanceId ?? randomUUID() }, metrics.registry),
  );
}
