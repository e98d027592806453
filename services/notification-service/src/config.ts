import { baseConfigSchema } from '@todo/service-kit';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  /** Name of a Dapr HTTP output binding to POST each notification to; unset = in-app feed only. */
  WEBHOOK_BINDING: z.string().min(1).optional(),
});
export type Config = z.infer<typeof configSchema>;
