import type { Express } from 'express';
import type { ServiceInvoker, Sidecar, StateStore } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import type { Clock } from './domain/converse.ts';
import { ChatHistory } from './domain/history.ts';
import { chatRoutes } from './routes/chat.ts';

export interface Deps {
  logger: Logger;
  invoker: ServiceInvoker;
  state: StateStore;
  sidecar: Sidecar;
  appApiToken?: string | undefined;
  clock?: Clock;
  newId?: () => string;
}

export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken });
  app.use(healthRoutes(deps.sidecar));
  app.use(
    chatRoutes({
      invoker: deps.invoker,
      history: new ChatHistory(deps.state, deps.newId),
      clock: deps.clock ?? { now: () => new Date() },
    }),
  );
  return finish(app, deps.logger);
}
