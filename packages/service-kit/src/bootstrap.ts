import type { Express } from 'express';
import type { z } from 'zod';
import { COMPONENTS, type AppId, type Topic } from '@todo/contracts';
import { createDaprAdapter, type DaprAdapter } from '@todo/dapr';
import type { baseConfigSchema } from './config.ts';
import { loadConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { serve } from './lifecycle.ts';
import { createMetrics } from './metrics.ts';
import type { ServiceDeps } from './service-app.ts';

export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  dapr: DaprAdapter;
  /** What every buildApp takes from the platform: logger, sidecar probe, app token, fault hooks. */
  kit: ServiceDeps;
}

/**
 * What every service's main.ts does: read and check its config (exit 78 when wrong), make its logger,
 * connect the one Dapr adapter to its sidecar with the platform's component names, build the app,
 * listen, and stop cleanly on SIGTERM.
 */
export interface RunOptions {
  /** The topic this service's state store publishes to through Dapr's outbox (task-service). */
  outboxTopic?: Topic;
}

export function runService<S extends z.ZodType<z.infer<typeof baseConfigSchema>>>(
  appId: AppId,
  schema: S,
  build: (ctx: ServiceContext<z.infer<S>>) => Express,
  options: RunOptions = {},
): void {
  const config = loadConfig(schema);
  const logger = createLogger(appId, config.LOG_LEVEL);
  if (!config.APP_API_TOKEN) logger.warn('APP_API_TOKEN is not set: calls are not checked to come from the sidecar');
  // One registry per app: the kit's HTTP and delivery metrics, the adapter's publish counter, the
  // service's own, and Node's process metrics.
  const metrics = createMetrics({ appId, processMetrics: true });
  const dapr = createDaprAdapter({
    httpPort: config.DAPR_HTTP_PORT,
    apiToken: config.DAPR_API_TOKEN,
    pubsubName: COMPONENTS.pubsub,
    stateStoreName: config.STATE_STORE_NAME,
    secretStoreName: COMPONENTS.secretStore,
    outboxTopic: options.outboxTopic,
    logger,
    metricsRegistry: metrics.registry,
  });
  const kit: ServiceDeps = { logger, sidecar: dapr.sidecar, appApiToken: config.APP_API_TOKEN, faultInjection: config.FAULT_INJECTION === 'on', metrics };
  serve(build({ config, logger, dapr, kit }), config.APP_PORT, logger);
}
