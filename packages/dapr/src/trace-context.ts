import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * The W3C trace context of the work in progress (one HTTP request or one pub/sub delivery), so every
 * call the adapter makes to the sidecar during it — state reads and writes, the outbox transaction,
 * publishes, invocations — carries the same `traceparent`. daprd then records its spans as children
 * of that context and stamps it on the events it publishes (the outbox too, with our daprd patch), so
 * one user action is one trace in Zipkin. The apps create no spans of their own: they pass the context
 * on and log its trace id.
 *
 * An AsyncLocalStorage, not a parameter on every port method: the context must reach calls made deep
 * inside domain code (a PagedList read, a retried compare-and-set) that has no business knowing about
 * tracing. The service kit opens a scope per request (`withTraceContext`); outside one, calls carry no
 * trace headers and daprd starts a trace of its own, as before.
 */
export interface TraceContext {
  traceparent: string;
  tracestate?: string | undefined;
}

const storage = new AsyncLocalStorage<TraceContext>();

export const withTraceContext = <T>(context: TraceContext, run: () => T): T => storage.run(context, run);

export const currentTraceContext = (): TraceContext | undefined => storage.getStore();

/** Headers for a call to the sidecar: the current trace context, when there is one. */
export function traceHeaders(): Record<string, string> {
  const context = storage.getStore();
  if (!context) return {};
  return { traceparent: context.traceparent, ...(context.tracestate ? { tracestate: context.tracestate } : {}) };
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace and parent span ids of a valid W3C traceparent (version 00; all-zero ids are invalid). */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string; sampled: boolean } | undefined {
  const m = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return undefined;
  return { traceId: m[2]!, spanId: m[3]!, sampled: (parseInt(m[4]!, 16) & 1) === 1 };
}

/** A new root context, sampled (daprd's samplingRate decides what is exported). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
