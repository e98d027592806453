import type { Express, Request, RequestHandler, Router as RouterType } from 'express';
import { Router } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EVENT_TYPES } from '@todo/contracts';
import { AppError } from './errors.ts';

/**
 * The platform's Prometheus metrics. Each app owns one Registry (never prom-client's global default):
 * two apps built in one test process keep separate counters, and nothing registers twice. The kit
 * adds HTTP RED and pub/sub delivery metrics; the Dapr adapter adds `todo_events_published_total`;
 * a service adds its own (reminders, dead letters) to `registry`. Names are listed in the README.
 */
export const METRIC_NAMES = {
  httpDuration: 'todo_http_request_duration_seconds',
  consumed: 'todo_events_consumed_total',
  handlerDuration: 'todo_event_handler_duration_seconds',
  eventAge: 'todo_event_age_seconds',
} as const;

export type DeliveryResult = 'success' | 'retry' | 'drop';

export interface Metrics {
  registry: Registry;
  http: Histogram<'method' | 'route' | 'status'>;
  consumed: Counter<'topic' | 'type' | 'result'>;
  handlerDuration: Histogram<'topic' | 'type' | 'result'>;
  eventAge: Histogram<'topic' | 'type'>;
}

export interface MetricsOptions {
  /** Dapr app-id, a label on every series (`app_id`, as daprd's own metrics name it). */
  appId?: string;
  /** Node process metrics (CPU, memory, event loop lag, GC): on in services, off in unit tests. */
  processMetrics?: boolean;
}

/** Latency buckets (seconds) for requests and handlers: 5 ms … 10 s (the invocation timeout). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Event age at consumption: the outbox alone adds ~1 s; retries and outages add minutes. */
const AGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.appId) registry.setDefaultLabels({ app_id: options.appId });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    http: new Histogram({
      name: METRIC_NAMES.httpDuration,
      help: 'HTTP requests served, by method, route template and status, with their duration.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    consumed: new Counter({
      name: METRIC_NAMES.consumed,
      help: 'Pub/sub deliveries handled, by topic, event type and the answer given to daprd (success, retry, drop).',
      labelNames: ['topic', 'type', 'result'] as const,
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: METRIC_NAMES.handlerDuration,
      help: 'Time spent handling one pub/sub delivery, by topic, event type and result.',
      labelNames: ['topic', 'type', 'result'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    eventAge: new Histogram({
      name: METRIC_NAMES.eventAge,
      help: 'Age of an event when a consumer received it (now - occurredAt), by topic and event type.',
      labelNames: ['topic', 'type'] as const,
      buckets: AGE_BUCKETS,
      registers: [registry],
    }),
  };
}

const KEY = 'metrics';

export const attachMetrics = (app: Express, metrics: Metrics): void => {
  app.locals[KEY] = metrics;
};

/** The metrics of the app serving this request (set by serviceApp); undefined for a bare Express app. */
export const metricsOf = (app: Express): Metrics | undefined => app.locals[KEY] as Metrics | undefined;

const KNOWN_TYPES = new Set<string>(Object.values(EVENT_TYPES));
/** A label value for an event type: only known types, so a stream of junk cannot create series. */
export const eventTypeLabel = (data: unknown): string => {
  const type = (data as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' && KNOWN_TYPES.has(type) ? type : 'unknown';
};
/** Topics come from daprd (subscriptions we declared); still bounded, in case a caller makes one up. */
export const topicLabel = (topic: unknown): string => (typeof topic === 'string' && /^[a-z0-9.-]{1,64}$/.test(topic) ? topic : 'unknown');

export interface DeliveryRecord {
  topic: unknown;
  data: unknown;
  result: DeliveryResult;
  /** process.hrtime.bigint() when the delivery arrived. */
  startedAt: bigint;
  now?: number;
}

/** Counts one delivery, its handling time and the event's age (from `occurredAt`, when it has one). */
export function recordDelivery(metrics: Metrics | undefined, record: DeliveryRecord): void {
  if (!metrics) return;
  const topic = topicLabel(record.topic);
  const type = eventTypeLabel(record.data);
  metrics.consumed.inc({ topic, type, result: record.result });
  metrics.handlerDuration.observe({ topic, type, result: record.result }, Number(process.hrtime.bigint() - record.startedAt) / 1e9);
  const occurredAt = (record.data as { occurredAt?: unknown } | null | undefined)?.occurredAt;
  const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : NaN;
  if (Number.isFinite(at)) metrics.eventAge.observe({ topic, type }, Math.max(0, ((record.now ?? Date.now()) - at) / 1000));
}

/**
 * The route template of a request (`/api/tasks/:id`), for a label that does not grow with ids. Express
 * sets `req.route` when a route handled the request; a request stopped earlier (401 from the JWT check,
 * 415 from the body check) is matched against the app's route table. Anything else is `unmatched`.
 */
export function routeLabel(app: Express, req: Request): string {
  if (req.route?.path && typeof req.route.path === 'string') return `${req.baseUrl ?? ''}${req.route.path}`;
  const found = routeTable(app).find((r) => (r.method === req.method.toLowerCase() || r.method === '_all') && r.matches(req.path));
  return found?.path ?? 'unmatched';
}

export interface RouteEntry {
  method: string;
  path: string;
  matches(path: string): boolean;
}

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean>; stack?: unknown[] };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  matchers?: Array<(path: string) => unknown>;
}

const TABLE = Symbol('routeTable');

/**
 * Every route of the app as (method, path template), read from Express's router stack. Routers mounted
 * at the root (`app.use(router)`, how every service adds its routes) are walked; a router mounted under
 * a prefix is not (none is). Used for metric labels and by the test that holds the OpenAPI document
 * to the gateway's routes.
 */
export function routeTable(app: Express): RouteEntry[] {
  const cached = (app as unknown as Record<symbol, RouteEntry[] | undefined>)[TABLE];
  if (cached) return cached;
  const entries: RouteEntry[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        const matchers = layer.matchers ?? [];
        for (const method of Object.keys(layer.route.methods)) {
          entries.push({ method, path: layer.route.path, matches: (p) => matchers.some((m) => Boolean(m(p))) });
        }
      } else if (layer.slash && layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk(((app as unknown as { router?: { stack?: Layer[] } }).router?.stack ?? []) as Layer[]);
  (app as unknown as Record<symbol, RouteEntry[]>)[TABLE] = entries;
  return entries;
}

/** Status label of a request whose client went away before the answer was sent (nginx's convention). */
export const CLIENT_CLOSED = '499';

/**
 * Counts every response by route template, method and status, with its duration (not the probes), and
 * hands each finished request to `onDone` (the access log).
 */
export function httpMetrics(
  metrics: Metrics,
  skip: (path: string) => boolean,
  onDone?: (req: Request, labels: { method: string; route: string; status: string }, seconds: number) => void,
): RequestHandler {
  return (req, res, next) => {
    if (skip(req.path)) return next();
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED;
      const labels = { method: req.method, route: routeLabel(req.app as Express, req), status };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.http.observe(labels, seconds);
      onDone?.(req, labels, seconds);
    });
    next();
  };
}

/** `GET /metrics` in Prometheus text format. A collector that fails (e.g. reads the state store) is a 503. */
export function metricsRoute(metrics: Metrics): RouterType {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    let text: string;
    try {
      text = await metrics.registry.metrics();
    } catch (err) {
      throw new AppError('metrics-unavailable', 503, 'a metric could not be collected', { cause: err });
    }
    res.type(metrics.registry.contentType).send(text);
  });
  return router;
}
