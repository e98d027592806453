import { baseConfigSchema } from '@todo/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  APP_PORT: z.coerce.number().int().positive().default(8080),
  /** Name of the HS256 signing key in the `secretstore` component. */
  JWT_SECRET_NAME: z.string().default('jwt-signing-key'),
});
export type Config = z.infer<typeof configSchema>;
