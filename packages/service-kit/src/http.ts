import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { newTraceparent, parseTraceparent, withTraceContext } from '@todo/dapr';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import { installFaultInjection } from './faults.ts';
import { attachMetrics, createMetrics, httpMetrics, type Metrics } from './metrics.ts';
import { notFoundHandler, problemHandler } from './problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Child logger carrying requestId, traceId and traceparent: every line of the request has them. */
    log: Logger;
    requestId: string;
    /**
     * W3C trace context: the caller's (daprd sets it on invocations and deliveries; a client may send
     * one to the gateway), or a new root when it sent none or an invalid one. Forwarded on every call
     * to the sidecar (packages/dapr trace-context.ts).
     */
    traceparent: string;
    /** The trace id of `traceparent` (32 hex digits): what Zipkin and the logs are searched by. */
    traceId: string;
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
  /** The app's metrics (its own registry); a fresh set when not given. */
  metrics?: Metrics;
  /**
   * Level of the one line logged per finished request (method, route, status, ms). The gateway logs it
   * at info (the edge's access log); internal services at debug, so `make run` shows one line per event.
   */
  accessLog?: 'info' | 'debug';
}

/**
 * An Express app with the house middleware in place: request context, JSON-only bodies, the sidecar's
 * app token. Add routes, then call `finish(app)` to install the 404 and problem+json handlers.
 */
export function createServiceApp({ logger, appApiToken, faultInjection = false, metrics = createMetrics(), accessLog = 'debug' }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  attachMetrics(app, metrics);
  app.use(requestContext(logger));
  app.use(httpMetrics(metrics, (path) => PROBE_PATHS.has(path), (req, labels, seconds) => {
    req.log[accessLog]({ method: labels.method, route: labels.route, status: Number(labels.status), ms: Math.round(seconds * 1000) }, 'request finished');
  }));
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

/** Answered on every response, so a user can hand it to whoever searches the logs or Zipkin. */
export const TRACE_ID_HEADER = 'x-trace-id';

/**
 * Request id, trace context and the request's child logger; the rest of the request runs inside the
 * trace context, so the Dapr adapter stamps it on every sidecar call made for this request.
 */
const requestContext = (logger: Logger): RequestHandler => (req, res, next) => {
  const incoming = req.get('traceparent');
  const parsed = parseTraceparent(incoming);
  req.traceparent = parsed && incoming ? incoming.trim().toLowerCase() : newTraceparent();
  req.traceId = parsed?.traceId ?? parseTraceparent(req.traceparent)!.traceId;
  const tracestate = parsed ? req.get('tracestate') : undefined;
  req.requestId = req.get('x-request-id') ?? randomUUID();
  req.log = logger.child({ requestId: req.requestId, traceId: req.traceId, traceparent: req.traceparent });
  res.setHeader('x-request-id', req.requestId);
  res.setHeader(TRACE_ID_HEADER, req.traceId);
  withTraceContext({ traceparent: req.traceparent, tracestate }, next);
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
