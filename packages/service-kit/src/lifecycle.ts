import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from './logger.ts';

/** Listens, and on SIGTERM/SIGINT stops taking connections and exits once in-flight requests end. */
export function serve(app: Express, port: number, logger: Logger): Server {
  const server = app.listen(port, () => logger.info({ port }, 'listening'));
  server.on('error', (err) => {
    logger.fatal({ err, port }, 'cannot listen');
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return server;
}
