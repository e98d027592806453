import { APP_IDS, TOPICS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

runService(
  APP_IDS.taskService,
  configSchema,
  ({ kit, dapr }) => buildApp({ ...kit, state: dapr.state }),
  // components/state/task-service/statestore.yaml: outboxPublishTopic
  { outboxTopic: TOPICS.taskEvents },
);
