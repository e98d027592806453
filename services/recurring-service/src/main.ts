import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.recurringService, configSchema, ({ config, logger, dapr }) =>
  buildApp({ logger, invoker: dapr.invoker, events: dapr.events, sidecar: dapr.sidecar, appApiToken: config.APP_API_TOKEN }));
