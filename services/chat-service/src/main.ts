import { APP_IDS, COMPONENTS } from '@todo/contracts';
import { createDaprAdapter } from '@todo/dapr';
import { createLogger, loadConfig, serve } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

const config = loadConfig(configSchema);
const logger = createLogger(APP_IDS.chatService, config.LOG_LEVEL);
if (!config.APP_API_TOKEN) logger.warn('APP_API_TOKEN is not set: calls are not checked to come from the sidecar');

const dapr = createDaprAdapter({
  httpPort: config.DAPR_HTTP_PORT,
  apiToken: config.DAPR_API_TOKEN,
  pubsubName: COMPONENTS.pubsub,
  stateStoreName: COMPONENTS.stateStore,
  secretStoreName: COMPONENTS.secretStore,
  logger,
});

const app = buildApp({
  logger,
  invoker: dapr.invoker,
  state: dapr.state,
  sidecar: dapr.sidecar,
  appApiToken: config.APP_API_TOKEN,
});
serve(app, config.APP_PORT, logger);
