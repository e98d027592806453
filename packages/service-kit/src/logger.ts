import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs to stdout; every line carries the service name so a multi-app run stays readable. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
