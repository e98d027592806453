import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.recurringService, configSchema, ({ kit, dapr }) =>
  buildApp({ ...kit, invoker: dapr.invoker, events: dapr.events }));
