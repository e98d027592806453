import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.deadLetterService, configSchema, ({ kit, dapr }) =>
  buildApp({ ...kit, state: dapr.state, events: dapr.events }));
