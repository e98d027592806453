import type { Express, Router } from 'express';
import { healthRoutes, type ReadinessProbe } from './health.ts';
import { createServiceApp, finish } from './http.ts';
import type { Logger } from './logger.ts';

/** Time, injectable so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every service's buildApp needs besides its own ports. */
export interface ServiceDeps {
  logger: Logger;
  sidecar: ReadinessProbe;
  /** APP_API_TOKEN: when set, only callers holding it (the sidecar) get past the probes. */
  appApiToken?: string | undefined;
  /** FAULT_INJECTION=on: the fault suite's hooks (faults.ts). */
  faultInjection?: boolean;
  clock?: Clock;
}

/** The whole app shell: house middleware, /healthz and /readyz, the service's routers, 404 and problem+json. */
export function serviceApp(deps: ServiceDeps, ...routers: Router[]): Express {
  const app = createServiceApp({ logger: deps.logger, appApiToken: deps.appApiToken, faultInjection: deps.faultInjection ?? false });
  app.use(healthRoutes(deps.sidecar));
  for (const router of routers) app.use(router);
  return finish(app, deps.logger);
}
