import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.notificationService, configSchema, ({ config, logger, dapr }) =>
  buildApp({
    logger,
    state: dapr.state,
    events: dapr.events,
    bindings: dapr.bindings,
    sidecar: dapr.sidecar,
    appApiToken: config.APP_API_TOKEN,
    webhookBinding: config.WEBHOOK_BINDING,
  }));
