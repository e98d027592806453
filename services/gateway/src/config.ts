import { DEV_TOKEN_POLICY } from '@todo/contracts';
import { baseConfigSchema } from '@todo/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  APP_PORT: z.coerce.number().int().positive().default(8080),
  /** Name of the HS256 signing key in the `secretstore` component. */
  JWT_SECRET_NAME: z.string().default('jwt-signing-key'),
  /** `iss` and `aud` every token must carry; the defaults are what `make token` mints. */
  JWT_ISSUER: z.string().min(1).default(DEV_TOKEN_POLICY.issuer),
  JWT_AUDIENCE: z.string().min(1).default(DEV_TOKEN_POLICY.audience),
  /** Tolerated clock difference for exp/nbf/iat. Bounded: a large skew is a long-lived token in disguise. */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(DEV_TOKEN_POLICY.clockSkewSeconds),
  /**
   * 1: the web console offers dev sign-in (pick a user, the gateway mints the token), to loopback callers
   * only. dapr.yaml sets it for `make run` and the test suites; a deployment leaves it off.
   */
  DEV_LOGIN: z.enum(['0', '1']).default('0'),
});
export type Config = z.infer<typeof configSchema>;
