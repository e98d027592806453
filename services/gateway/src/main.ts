import { APP_IDS, COMPONENTS } from '@todo/contracts';
import { createDaprAdapter } from '@todo/dapr';
import { createLogger, loadConfig, serve } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { signingKeyFromSecretStore } from './auth/signing-key.ts';
import { configSchema } from './config.ts';

const config = loadConfig(configSchema);
const logger = createLogger(APP_IDS.gateway, config.LOG_LEVEL);

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
  sidecar: dapr.sidecar,
  signingKey: signingKeyFromSecretStore(dapr.secrets, config.JWT_SECRET_NAME),
});
serve(app, config.APP_PORT, logger);
