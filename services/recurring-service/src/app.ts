import type { Express } from 'express';
import type { EventBus, ServiceInvoker } from '@todo/dapr';
import { serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { TaskServiceClient } from './adapters/task-client.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';

export interface Deps extends ServiceDeps {
  invoker: ServiceInvoker;
  events: EventBus;
}

export function buildApp(deps: Deps): Express {
  return serviceApp(deps, subscriptionRoutes({ tasks: new TaskServiceClient(deps.invoker), events: deps.events, clock: deps.clock ?? systemClock }));
}
