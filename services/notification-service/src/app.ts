import type { Express } from 'express';
import type { EventBus, OutputBinding, StateStore } from '@todo/dapr';
import { serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { feedRoutes } from './routes/feed.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface Deps extends ServiceDeps {
  state: StateStore;
  events: EventBus;
  bindings: OutputBinding;
  webhookBinding?: string | undefined;
}

export function buildApp(deps: Deps): Express {
  const domain = { state: deps.state, events: deps.events, bindings: deps.bindings, clock: deps.clock ?? systemClock, webhookBinding: deps.webhookBinding };
  return serviceApp(deps, subscriptionRoutes(domain), feedRoutes(domain));
}
