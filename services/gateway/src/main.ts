import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { signingKeyFromSecretStore } from './auth/signing-key.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.gateway, configSchema, ({ config, logger, dapr }) =>
  buildApp({
    logger,
    invoker: dapr.invoker,
    sidecar: dapr.sidecar,
    signingKey: signingKeyFromSecretStore(dapr.secrets, config.JWT_SECRET_NAME),
    tokenPolicy: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS },
  }));
