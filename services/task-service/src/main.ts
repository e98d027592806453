import { APP_IDS, TOPICS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(
  APP_IDS.taskService,
  configSchema,
  ({ config, logger, dapr }) => buildApp({ logger, state: dapr.state, sidecar: dapr.sidecar, appApiToken: config.APP_API_TOKEN }),
  // components/state/task-service/statestore.yaml: outboxPublishTopic
  { outboxTopic: TOPICS.taskEvents },
);
