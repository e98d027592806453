import type { Express } from 'express';
import type { ServiceInvoker, Sidecar } from '@todo/dapr';
import { createServiceApp, finish, healthRoutes, type Logger } from '@todo/service-kit';
import type { KeyProvider } from './auth/jwt.ts';
import { apiRoutes } from './routes/api.ts';

export interface Deps {
  logger: Logger;
  invoker: ServiceInvoker;
  sidecar: Sidecar;
  signingKey: KeyProvider;
}

/** The public edge. Users call it directly (not through daprd), so it checks JWTs, not the app token. */
export function buildApp(deps: Deps): Express {
  const app = createServiceApp({ logger: deps.logger });
  app.use(healthRoutes(deps.sidecar));
  app.use(apiRoutes(deps));
  return finish(app, deps.logger);
}
