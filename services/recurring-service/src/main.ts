import { APP_IDS, COMPONENTS } from '@todo/contracts';
import { createDaprAdapter } from '@todo/dapr';
import { createLogger, loadConfig, serve } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

const config = loadConfig(configSchema);
const logger = createLogger(APP_IDS.recurringService, config.LOG_LEVEL);
if (!config.APP_API_TOKEN) logger.warn('APP_API_TOKEN is not set: calls are not checked to come from the sidecar');

const dapr = createDaprAdapter({
  httpPort: config.DAPR_HTTP_PORT,
  apiToken: config.DAPR_API_TOKEN,
  pubsubName: COMPONENTS.pubsub,
  stateStoreName: COMPONENTS.stateStore,
  secretStoreName: COMPONENTS.secretStore,
  logger,
});

serve(buildApp({ logger, invoker: dapr.invoker, events: dapr.events, sidecar: dapr.sidecar, appApiToken: config.APP_API_TOKEN }), config.APP_PORT, logger);
