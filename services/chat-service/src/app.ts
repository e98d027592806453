import type { Express } from 'express';
import type { ServiceInvoker, StateStore } from '@todo/dapr';
import { serviceApp, systemClock, type ServiceDeps } from '@todo/service-kit';
import { ChatHistory } from './domain/history.ts';
import { chatRoutes } from './routes/chat.ts';

export interface Deps extends ServiceDeps {
  invoker: ServiceInvoker;
  state: StateStore;
  newId?: () => string;
}

export function buildApp(deps: Deps): Express {
  return serviceApp(deps, chatRoutes({ invoker: deps.invoker, history: new ChatHistory(deps.state, deps.newId), clock: deps.clock ?? systemClock }));
}
