import type { Express } from 'express';
import type { ServiceInvoker } from '@todo/dapr';
import { serviceApp, type ServiceDeps } from '@todo/service-kit';
import type { KeyProvider, TokenPolicy } from './auth/jwt.ts';
import { consoleRoutes } from './console/routes.ts';
import { apiRoutes } from './routes/api.ts';

export interface Deps extends Omit<ServiceDeps, 'appApiToken'> {
  invoker: ServiceInvoker;
  signingKey: KeyProvider;
  tokenPolicy: TokenPolicy;
  /** DEV_LOGIN=1: the web console's dev sign-in mints tokens for loopback callers. Off unless set. */
  devLogin?: boolean;
}

/** The public edge. Users call it directly (not through daprd), so it checks JWTs, not the app token. */
export function buildApp(deps: Deps): Express {
  // The edge logs one line per request at info (its access log); internal services at debug.
  return serviceApp(
    { ...deps, accessLog: 'info' },
    consoleRoutes({ signingKey: deps.signingKey, tokenPolicy: deps.tokenPolicy, devLogin: deps.devLogin ?? false }),
    apiRoutes({ invoker: deps.invoker, sidecar: deps.sidecar, signingKey: deps.signingKey, tokenPolicy: deps.tokenPolicy }),
  );
}
