import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.notificationService, configSchema, ({ config, kit, dapr }) =>
  buildApp({ ...kit, state: dapr.state, events: dapr.events, bindings: dapr.bindings, webhookBinding: config.WEBHOOK_BINDING }));
