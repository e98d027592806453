import { z } from 'zod';

/** Settings every service reads; services extend this schema with their own. */
export const baseConfigSchema = z.object({
  APP_PORT: z.coerce.number().int().positive(),
  DAPR_HTTP_PORT: z.coerce.number().int().positive().default(3500),
  /** Sent to our sidecar on every call (the sidecar rejects calls without it when it is configured). */
  DAPR_API_TOKEN: z.string().min(1).optional(),
  /** The sidecar sends this to us; requests without it are rejected. */
  APP_API_TOKEN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /**
   * The state store component this app uses. Locally every app's is `statestore` (each daprd loads its
   * own resources folder); in a cluster task-service's outbox store must have another name, since one
   * namespace cannot hold two Components called `statestore` (the chart sets `statestore-outbox`).
   */
  STATE_STORE_NAME: z.string().min(1).default('statestore'),
  /** The fault suite's hooks (packages/service-kit/src/faults.ts); never on outside tests. */
  FAULT_INJECTION: z.enum(['on', 'off']).default('off'),
});

/** Parses the environment or exits with a message naming every bad variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    process.stderr.write(`invalid configuration:\n${lines}\n`);
    process.exit(78); // EX_CONFIG
  }
  return parsed.data;
}
