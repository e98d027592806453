import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Problem } from '@todo/contracts';
import { ZodError } from 'zod';
import { DependencyTimeoutError, EtagMismatchError, InvalidCursorError, SidecarError, UnexpectedResponseError } from '@todo/dapr';
import { AppError, type FieldError } from './errors.ts';
import type { Logger } from './logger.ts';
import { routeTable } from './metrics.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The answer's shape is the contract's (the OpenAPI document describes every problem with it). */
export type { Problem };

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function problem(status: number, code: string, detail?: string, errors?: FieldError[]): Problem {
  return {
    type: `urn:todo:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

export const zodFieldErrors = (err: ZodError): FieldError[] =>
  err.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));

/** Maps what the body parser throws (it sets `type`) to the statuses DESIGN.md promises. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): Problem | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return problem(400, 'malformed-json', 'request body is not valid JSON');
    case 'entity.too.large':
      return problem(413, 'payload-too-large', err.message);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported-media-type', err.message);
    default:
      return undefined;
  }
}

/**
 * The one error map of the platform. What a dependency did is mapped here, once, for every service:
 * a lost compare-and-set race that retrying did not win → 409 (try again), a sidecar / store / broker /
 * target app that cannot be reached → 503, one that did not answer in time → 504, a contract-breaking
 * answer from another service → 502. Anything unknown is a 500 and is logged.
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) return problem(err.status, err.code, err.message, err.errors);
  if (err instanceof ZodError) return problem(400, 'validation-failed', 'request is invalid', zodFieldErrors(err));
  if (err instanceof InvalidCursorError) return problem(400, 'invalid-cursor', 'the cursor is not one this list gave out');
  if (err instanceof EtagMismatchError) return problem(409, 'conflict', 'the resource is being changed concurrently; try again');
  if (err instanceof DependencyTimeoutError) return problem(504, 'dependency-timeout', 'a service this request needs did not answer in time');
  if (err instanceof SidecarError) return problem(503, 'dependency-unavailable', 'a service this request needs is unavailable; try again shortly');
  if (err instanceof UnexpectedResponseError) return problem(502, 'bad-gateway', 'a service this request needs gave an unexpected answer');
  if (err && typeof err === 'object') {
    const fromParser = fromBodyParser(err as { type?: string });
    if (fromParser) return fromParser;
  }
  return problem(500, 'internal', 'unexpected error');
}

/** Seconds a client should wait before retrying a 503 (a breaker half-opens after 15 s; most outages are shorter). */
const RETRY_AFTER_SECONDS = '5';

export function sendProblem(res: Parameters<RequestHandler>[1], p: Problem): void {
  if (p.status === 503) res.setHeader('retry-after', RETRY_AFTER_SECONDS);
  res.status(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(p));
}

/** The last middleware: every error becomes problem+json; only unexpected ones are logged as errors. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const p = toProblem(err);
    const log = (req as { log?: Logger }).log ?? logger;
    if (p.status === 500) log.error({ err }, 'request failed');
    else if (p.status > 500) log.warn({ err, status: p.status }, 'dependency failed');
    else log.debug({ status: p.status, code: p.type }, 'request rejected');
    if (res.headersSent) return;
    sendProblem(res, p);
  };
}

/**
 * After every route: a path the app has, asked with another method, is a 405 with `Allow` (RFC 9110);
 * anything else a 404.
 */
export const notFoundHandler: RequestHandler = (req, res, next) => {
  const allowed = [...new Set(routeTable(req.app as Express).filter((r) => r.matches(req.path)).map((r) => r.method.toUpperCase()))]
    .filter((m) => m !== '_ALL');
  if (allowed.length > 0 && !allowed.includes(req.method)) {
    if (allowed.includes('GET')) allowed.push('HEAD');
    res.setHeader('allow', allowed.join(', '));
    return next(new AppError('method-not-allowed', 405, `${req.method} is not allowed on ${req.path}`));
  }
  next(new AppError('not-found', 404, `no route for ${req.method} ${req.path}`));
};
