import { APP_IDS } from '@todo/contracts';
import { runService } from '@todo/service-kit';
import { buildApp } from './app.ts';
import { signingKeyFromSecretStore } from './auth/signing-key.ts';
import { configSchema } from './config.ts';

runService(APP_IDS.gateway, configSchema, ({ config, kit: { appApiToken: _edge, ...kit }, dapr }) =>
  buildApp({
    ...kit, // the public edge checks JWTs, not the sidecar's app token
    invoker: dapr.invoker,
    signingKey: signingKeyFromSecretStore(dapr.secrets, config.JWT_SECRET_NAME),
    tokenPolicy: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS },
    devLogin: config.DEV_LOGIN === '1',
  }));
