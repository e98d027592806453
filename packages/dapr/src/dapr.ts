import type { Logger } from 'pino';
import type { z } from 'zod';
import { TOPIC_CONTRACTS, type Topic, type TopicEvent } from '@todo/contracts';
import {
  DependencyTimeoutError,
  EtagMismatchError,
  InvalidEventError,
  SidecarError,
  StoredDataError,
  type EventBus,
  type InvokeRequest,
  type InvokeResponse,
  type OutboxStateStore,
  type OutputBinding,
  type SecretReader,
  type ServiceInvoker,
  type Sidecar,
  type StateOperation,
  type Versioned,
  type WriteOptions,
} from './ports.ts';
import { DEFAULT_BREAKER, resilientInvoker, type BreakerOptions } from './resilient-invoker.ts';
import { eventTypeOf, noPublishMetrics, publishMetrics, type PublishVia } from './metrics.ts';
import { traceHeaders } from './trace-context.ts';
import type { Registry } from 'prom-client';

export interface DaprAdapterOptions {
  httpPort: number;
  apiToken?: string | undefined;
  pubsubName: string;
  stateStoreName: string;
  secretStoreName: string;
  /** The topic the state store's outbox publishes to (its `outboxPublishTopic`), when it has one. */
  outboxTopic?: Topic | undefined;
  /** An invocation that has not answered after this long fails with DependencyTimeoutError. */
  invokeTimeoutMs?: number;
  /** The per-target circuit breaker of service invocation (resilient-invoker.ts). */
  breaker?: BreakerOptions;
  /** The app's own Prometheus registry: the adapter adds `todo_events_published_total` to it. */
  metricsRegistry?: Registry | undefined;
  logger: Logger;
}

/**
 * Slightly longer than the 10 s invocation timeout of the Resiliency policies, so daprd's own timeout
 * normally answers first (and counts for its circuit breaker); this one guards against a hung sidecar.
 */
export const DEFAULT_INVOKE_TIMEOUT_MS = 11_000;

export interface DaprAdapter {
  events: EventBus;
  state: OutboxStateStore;
  invoker: ServiceInvoker;
  secrets: SecretReader;
  bindings: OutputBinding;
  sidecar: Sidecar;
}

/** A non-2xx answer of daprd's API, with its `{errorCode, message}` body (ERR_STATE_SAVE, ERR_STATE_TRANSACTION …). */
class DaprdError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DaprdError';
  }
}

/**
 * Dapr answers an etag conflict on save and delete with 409. A transaction whose etag check failed in
 * the Redis store comes back as 500 ERR_STATE_TRANSACTION with the store's script error, measured:
 * "error while executing state transaction: ERR user_script:14: failed to set key <key> script: …"
 * (the other operations applied anyway — the ports contract pins both). The etag check is the only
 * failure those scripts report, so that message is read as the conflict it is.
 */
function failure(err: DaprdError, what: string, key?: string): Error {
  const etagConflict = err.status === 409 || (err.errorCode === 'ERR_STATE_TRANSACTION' && /failed to (set|delete) key/.test(err.message));
  if (etagConflict && key !== undefined) return new EtagMismatchError(key, { cause: err.message });
  return new SidecarError(`${what} failed: ${err.status} ${err.errorCode ?? ''} ${err.message}`.trim(), { status: err.status });
}

/** Parses one stored value with the caller's schema; a mismatch is never cast through. */
function parseStored<T>(key: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDataError(key, { cause: parsed.error });
  return parsed.data;
}

/** daprd's own invocation failures (no such app, app down, circuit open, timeout) carry an ERR_ code. */
function daprdFailure(appId: string, status: number, body: unknown): Error | undefined {
  const b = body as { errorCode?: unknown; message?: unknown } | undefined;
  if (status < 500 || typeof b?.errorCode !== 'string' || !b.errorCode.startsWith('ERR_')) return undefined;
  const message = typeof b.message === 'string' ? b.message : b.errorCode;
  if (/deadline exceeded|timed? ?out/i.test(message)) return new DependencyTimeoutError(`invoke ${appId}`, 0, { cause: message });
  return new SidecarError(`invoke ${appId}: ${message}`, { status });
}

/**
 * The one place that talks to the sidecar. State, pub/sub and secrets go through the SDK's DaprClient,
 * wrapped so that its `{error}` results become thrown errors (the SDK returns them instead of throwing).
 * Invocation uses fetch against the sidecar's invoke API, because the SDK's invoker drops the response
 * status and headers, and the gateway must pass 201/204/404/412 and `Location` through unchanged.
 * Everything read from the network is parsed (state with the caller's schema, events with the topic's
 * contract); nothing is cast.
 */
export function createDaprAdapter(options: DaprAdapterOptions): DaprAdapter {
  const { httpPort, apiToken, pubsubName, stateStoreName, secretStoreName } = options;
  const invokeTimeoutMs = options.invokeTimeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
  const base = `http://127.0.0.1:${httpPort}/v1.0`;
  const tokenHeader: Record<string, string> = apiToken ? { 'dapr-api-token': apiToken } : {};
  const metrics = options.metricsRegistry ? publishMetrics(options.metricsRegistry) : noPublishMetrics;

  /**
   * One call to the sidecar's HTTP API: JSON in, JSON (or nothing) out. A 2xx resolves with the parsed
   * body; anything else rejects with daprd's own error (`DaprdError`), for the caller to map. Not
   * reaching the sidecar at all is a SidecarError. (The @dapr/dapr SDK did this before: it returned
   * some failures instead of throwing, dropped invocation status and headers, and put gRPC and a 7 MB
   * bundle into every service for the few HTTP calls used here.) Every call carries the current trace
   * context (trace-context.ts), so daprd's spans join the request's trace.
   */
  const call = async (method: string, path: string, what: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> => {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}/${path}`, {
        method,
        headers: { ...tokenHeader, ...traceHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(invokeTimeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new SidecarError(`${what}: sidecar unreachable`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (res.ok) return parsed;
    const b = (parsed ?? {}) as { errorCode?: unknown; message?: unknown };
    throw new DaprdError(res.status, typeof b.errorCode === 'string' ? b.errorCode : undefined, typeof b.message === 'string' ? b.message : text);
  };
  /** `call`, with daprd's error mapped (etag conflicts for `key`). */
  const dapr = (method: string, path: string, what: string, body?: unknown, extra: { key?: string; headers?: Record<string, string> } = {}) =>
    call(method, path, what, body, extra.headers).catch((err: unknown) => {
      throw err instanceof DaprdError ? failure(err, what, extra.key) : err;
    });
  const store = `state/${encodeURIComponent(stateStoreName)}`;

  const send = async (topic: string, event: unknown, via: PublishVia, partitionKey?: string) => {
    const query = partitionKey ? `?metadata.partitionKey=${encodeURIComponent(partitionKey)}` : '';
    try {
      await dapr('POST', `publish/${encodeURIComponent(pubsubName)}/${encodeURIComponent(topic)}${query}`, `publish to ${topic}`, event);
    } catch (err) {
      metrics.published(topic, eventTypeOf(event), via, 'error');
      throw err;
    }
    metrics.published(topic, eventTypeOf(event), via, 'success');
  };

  const events: EventBus = {
    async publish<T extends Topic>(topic: T, event: TopicEvent<T>, publishOptions: { partitionKey?: string } = {}) {
      const parsed = TOPIC_CONTRACTS[topic].publishes.safeParse(event);
      if (!parsed.success) throw new InvalidEventError(topic, { cause: parsed.error });
      await send(topic, parsed.data, 'direct', publishOptions.partitionKey);
    },
    async republish(topic, data) {
      // Unchanged on purpose (the event keeps its id); only checked that consumers can read it.
      if (!TOPIC_CONTRACTS[topic].accepts.safeParse(data).success) throw new InvalidEventError(topic);
      await send(topic, data, 'replay');
    },
  };

  const toDaprOperation = (o: StateOperation) =>
    o.op === 'upsert'
      ? { operation: 'upsert', request: { key: o.key, value: o.value, ...(o.etag ? { etag: o.etag } : {}), ...ttlMetadata(o) } }
      : { operation: 'delete', request: { key: o.key, ...(o.etag ? { etag: o.etag } : {}) } };

  const runTransaction = (operations: object[], keys: string) => dapr('POST', `${store}/transaction`, 'state transaction', { operations }, { key: keys });

  const state: OutboxStateStore = {
    async get<T>(key: string, schema: z.ZodType<T>) {
      return (await state.getMany(key === '' ? [] : [key], schema)).get(key);
    },
    async getMany<T>(keys: string[], schema: z.ZodType<T>) {
      const found = new Map<string, Versioned<T>>();
      if (keys.length === 0) return found;
      // The bulk API for one key too: it is the one that returns each value with its etag.
      const items = await dapr('POST', `${store}/bulk`, 'state get', { keys: [...new Set(keys)], parallelism: 16 });
      if (!Array.isArray(items)) throw new SidecarError('state get: unexpected answer from the sidecar');
      for (const item of items as Array<{ key?: unknown; data?: unknown; etag?: unknown; error?: unknown }>) {
        if (typeof item.error === 'string' && item.error !== '') throw new SidecarError(`state get ${String(item.key)}: ${item.error}`);
        if (typeof item.key !== 'string' || item.data === undefined || item.data === null || item.data === '') continue;
        found.set(item.key, { value: parseStored(item.key, item.data, schema), etag: typeof item.etag === 'string' ? item.etag : '' });
      }
      return found;
    },
    async save(key, value, saveOptions = {}) {
      await dapr('POST', store, `state save ${key}`, [{ key, value, ...(saveOptions.etag ? { etag: saveOptions.etag } : {}), ...ttlMetadata(saveOptions) }], { key });
    },
    async claim(key, value, claimOptions = {}) {
      try {
        await call('POST', store, `state claim ${key}`, [{ key, value, options: { concurrency: 'first-write' }, ...ttlMetadata(claimOptions) }]);
        return true;
      } catch (err) {
        if (!(err instanceof DaprdError)) throw err;
        // A first-write conflict and an outage both come back as errors (the Redis store reports the
        // conflict as a generic 500 when no etag is given): tell them apart by looking at the key.
        if (await existing(key)) return false;
        throw failure(err, `state claim ${key}`);
      }
    },
    async delete(key, deleteOptions = {}) {
      await dapr('DELETE', `${store}/${encodeURIComponent(key)}`, `state delete ${key}`, undefined, {
        key,
        ...(deleteOptions.etag ? { headers: { 'if-match': deleteOptions.etag } } : {}),
      });
    },
    async transact(operations) {
      await runTransaction(operations.map(toDaprOperation), operations.map((o) => o.key).join(','));
    },
    async commitWithEvent(operations, projectionKey, event) {
      const topic = options.outboxTopic;
      if (!topic) throw new Error(`state store ${stateStoreName} has no outbox topic configured`);
      if (!operations.some((o) => o.op === 'upsert' && o.key === projectionKey)) throw new Error(`projection key ${projectionKey} is not upserted`);
      const parsed = TOPIC_CONTRACTS[topic].publishes.safeParse(event);
      if (!parsed.success) throw new InvalidEventError(topic, { cause: parsed.error });
      // Dapr's outbox: an upsert of the same key with `outbox.projection` is published instead of the
      // stored value, and never stored itself.
      const projection = { operation: 'upsert', request: { key: projectionKey, value: parsed.data, metadata: { 'outbox.projection': 'true', contentType: 'application/json' } } };
      try {
        await runTransaction([...operations.map(toDaprOperation), projection], operations.map((o) => o.key).join(','));
      } catch (err) {
        metrics.published(topic, eventTypeOf(parsed.data), 'outbox', 'error');
        throw err;
      }
      // Committed: daprd's outbox forwards it to the topic (after its marker check).
      metrics.published(topic, eventTypeOf(parsed.data), 'outbox', 'success');
    },
  };

  /** Whether a key holds anything, whatever its shape (a claim's loser does not need to read the value). */
  const existing = async (key: string) => {
    const items = (await call('POST', `${store}/bulk`, 'state get', { keys: [key] }).catch(() => [])) as Array<{ data?: unknown }>;
    return Array.isArray(items) && items.some((i) => i.data !== undefined && i.data !== null && i.data !== '');
  };

  const sidecarInvoker: ServiceInvoker = {
    async invoke(appId: string, request: InvokeRequest): Promise<InvokeResponse> {
      const headers: Record<string, string> = { ...tokenHeader, ...traceHeaders(), ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      const timeoutMs = request.timeoutMs ?? invokeTimeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}/invoke/${appId}/method/${request.path}`, { method: request.method, headers, body, signal });
        text = await res.text();
      } catch (err) {
        if (timeout.aborted) throw new DependencyTimeoutError(`invoke ${appId}`, timeoutMs, { cause: err });
        if (request.signal?.aborted) throw err; // the caller cancelled: not a failure of anyone
        throw new SidecarError(`invoke ${appId}: sidecar unreachable`, { cause: err });
      }
      const isJson = /json/.test(res.headers.get('content-type') ?? '');
      let parsed: unknown = text === '' ? undefined : text;
      if (isJson && text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const failed = daprdFailure(appId, res.status, parsed);
      if (failed) throw failed;
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };

  const secrets: SecretReader = {
    async get(name) {
      const result = await dapr('GET', `secrets/${encodeURIComponent(secretStoreName)}/${encodeURIComponent(name)}`, `secret ${name}`);
      const value = (result as Record<string, unknown> | undefined)?.[name];
      if (typeof value !== 'string' || value === '') throw new SidecarError(`secret ${name} is empty`);
      return value;
    },
  };

  const bindings: OutputBinding = {
    async invoke(name, operation, data, metadata = {}) {
      await dapr('POST', `bindings/${encodeURIComponent(name)}`, `binding ${name}`, { data, metadata, operation });
    },
  };

  const sidecar: Sidecar = {
    async isReady() {
      try {
        const res = await fetch(`${base}/healthz/outbound`, { headers: tokenHeader, signal: AbortSignal.timeout(2_000) });
        return res.ok;
      } catch {
        return false;
      }
    },
  };

  const invoker = resilientInvoker(sidecarInvoker, options.logger, options.breaker ?? DEFAULT_BREAKER);
  return { events, state, invoker, secrets, bindings, sidecar };
}

/** Dapr's per-item TTL: metadata `ttlInSeconds` (Redis sets it with EXPIRE in the same script). */
function ttlMetadata(options: WriteOptions): { metadata?: Record<string, string> } {
  return options.ttlSeconds ? { metadata: { ttlInSeconds: String(options.ttlSeconds) } } : {};
}
