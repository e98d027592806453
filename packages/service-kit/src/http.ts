import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import { installFaultInjection } from './faults.ts';
import { notFoundHandler, problemHandler } from './problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Child logger carrying requestId and traceparent. */
    log: Logger;
    requestId: string;
    /** W3C trace context from the caller (daprd sets it), forwarded on outbound calls. */
    traceparent: string | undefined;
  }
}

export const BODY_LIMIT = '64kb';
const JSON_TYPES = ['application/json', 'application/*+json'];

export interface ServiceAppOptions {
  logger: Logger;
  /** When set, every request except health probes must carry it in `dapr-api-token` (APP_API_TOKEN). */
  appApiToken?: string | undefined;
  /** FAULT_INJECTION=on: the fault suite's hooks (see faults.ts). */
  faultInjection?: boolean;
}

/**
 * An Express app with the house middleware in place: request context, JSON-only bodies, the sidecar's
 * app token. Add routes, then call `finish(app)` to install the 404 and problem+json handlers.
 */
export function createServiceApp({ logger, appApiToken, faultInjection = false }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(logger));
  if (appApiToken) app.use(requireAppToken(appApiToken));
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT, type: JSON_TYPES, strict: true }));
  installFaultInjection(app, faultInjection);
  return app;
}

export function finish(app: Express, logger: Logger): Express {
  app.use(notFoundHandler);
  app.use(problemHandler(logger));
  return app;
}

const requestContext = (logger: Logger): RequestHandler => (req, res, next) => {
  req.requestId = req.get('x-request-id') ?? randomUUID();
  req.traceparent = req.get('traceparent');
  req.log = logger.child({ requestId: req.requestId, ...(req.traceparent ? { traceparent: req.traceparent } : {}) });
  res.setHeader('x-request-id', req.requestId);
  next();
};

// Probes and the Prometheus scrape come from the platform, not through the sidecar.
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** daprd sends APP_API_TOKEN as `dapr-api-token`; no SDK checks it, so we do (constant-time compare). */
export function requireAppToken(expected: string): RequestHandler {
  const want = Buffer.from(expected);
  return (req, _res, next) => {
    if (PROBE_PATHS.has(req.path)) return next();
    const got = Buffer.from(req.get('dapr-api-token') ?? '');
    if (got.length === want.length && timingSafeEqual(got, want)) return next();
    next(new AppError('unauthorized', 401, 'missing or invalid dapr-api-token'));
  };
}

/**
 * A body that is not JSON is a 415, not a silently empty `req.body`. A declared non-JSON type is
 * rejected; so is a non-empty body without a type. (daprd forwards an empty invoke body chunked and
 * untyped, so "chunked without a type" is not taken as a body.)
 */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const type = req.get('content-type');
  const sized = Number(req.get('content-length') ?? 0) > 0;
  if ((type !== undefined && (sized || req.get('transfer-encoding') !== undefined) && !req.is(JSON_TYPES)) || (type === undefined && sized)) {
    return next(new AppError('unsupported-media-type', 415, 'request body must be application/json'));
  }
  next();
};
