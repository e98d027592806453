import { Counter, type Registry } from 'prom-client';

export const EVENTS_PUBLISHED = 'todo_events_published_total';

/** How an event left the app: published directly, committed with state through the outbox, or replayed from a dead letter. */
export type PublishVia = 'direct' | 'outbox' | 'replay';

export interface PublishMetrics {
  published(topic: string, type: string, via: PublishVia, result: 'success' | 'error'): void;
}

/** What the adapter counts when it has no registry (unit tests of other packages, scripts). */
export const noPublishMetrics: PublishMetrics = { published: () => undefined };

/**
 * `todo_events_published_total{topic,type,via,result}` in the app's own registry (never prom-client's
 * global one: two apps in one test process must not share counters). `error` = the sidecar refused or
 * could not be reached; an event that breaks its topic's contract is a bug and is not counted here.
 */
export function publishMetrics(registry: Registry): PublishMetrics {
  const counter = new Counter({
    name: EVENTS_PUBLISHED,
    help: 'Events handed to the sidecar, by topic, event type, path (direct, outbox, replay) and result.',
    labelNames: ['topic', 'type', 'via', 'result'] as const,
    registers: [registry],
  });
  return { published: (topic, type, via, result) => counter.inc({ topic, type, via, result }) };
}

/** The event type for a metric label: the event's own `type` when it is a short string, else `unknown`. */
export function eventTypeOf(event: unknown): string {
  const type = (event as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' && /^[a-z][a-z0-9.-]{0,63}$/.test(type) ? type : 'unknown';
}
