import type { Express, Router } from 'express';
import { healthRoutes, type ReadinessProbe } from './health.ts';
import { createServiceApp, finish } from './http.ts';
import type { Logger } from './logger.ts';
import { createMetrics, metricsRoute, type Metrics } from './metrics.ts';

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
  /** The app's metrics (own Prometheus registry; runService makes them). A fresh set when not given. */
  metrics?: Metrics;
  /** Level of the per-request log line (the gateway's access log is at info). */
  accessLog?: 'info' | 'debug';
}

/**
 * The whole app shell: house middleware, /healthz, /readyz and /metrics, the service's routers, 404 and
 * problem+json.
 */
export function serviceApp(deps: ServiceDeps, ...routers: Router[]): Express {
  const metrics = deps.metrics ?? createMetrics();
  const app = createServiceApp({
    logger: deps.logger,
    appApiToken: deps.appApiToken,
    faultInjection: deps.faultInjection ?? false,
    metrics,
    ...(deps.accessLog ? { accessLog: deps.accessLog } : {}),
  });
  app.use(healthRoutes(deps.sidecar));
  app.use(metricsRoute(metrics));
  for (const router of routers) app.use(router);
  return finish(app, deps.logger);
}
