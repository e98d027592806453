// In-memory stand-ins for unit tests only. Integration tests use real sidecars. Each one passes the same
// contract suite as the Dapr adapter against a real daprd + Redis (test/contract/), so a unit test cannot
// rely on behaviour the real thing does not have — in particular, transactions here do NOT roll back.
import type { z } from 'zod';
import { TOPIC_CONTRACTS, type Topic, type TopicEvent } from '@todo/contracts';
import {
  EtagMismatchError,
  InvalidEventError,
  SidecarError,
  StoredDataError,
  type EventBus,
  type InvokeRequest,
  type InvokeResponse,
  type OutboxStateStore,
  type PublishOptions,
  type SecretReader,
  type ServiceInvoker,
  type Sidecar,
  type StateOperation,
  type Versioned,
  type WriteOptions,
} from './ports.ts';

export class InMemoryStateStore implements OutboxStateStore {
  /** The topic its outbox publishes to, as the component's `outboxPublishTopic` says. */
  constructor(private readonly outboxTopic: Topic = 'task-events') {}

  readonly entries = new Map<string, Versioned<unknown>>();
  /** The TTL each key was last written with (the fake never expires anything; tests assert on this). */
  readonly ttls = new Map<string, number>();
  /** Events the outbox published (commitWithEvent), in order. */
  readonly outbox: Array<TopicEvent<Topic>> = [];
  /** The next transact/commitWithEvent fails with this error before touching anything (a sidecar outage). */
  failNextTransaction: Error | undefined;
  private nextEtag = 1;

  async get<T>(key: string, schema: z.ZodType<T>) {
    const entry = this.entries.get(key);
    return entry ? { value: parseStored(key, entry.value, schema), etag: entry.etag } : undefined;
  }

  async getMany<T>(keys: string[], schema: z.ZodType<T>) {
    const found = new Map<string, Versioned<T>>();
    for (const key of new Set(keys)) {
      const entry = await this.get(key, schema);
      if (entry) found.set(key, entry);
    }
    return found;
  }

  async save(key: string, value: unknown, options: WriteOptions & { etag?: string } = {}) {
    this.check(key, options.etag);
    this.write(key, value, options.ttlSeconds);
  }

  async claim(key: string, value: unknown, options: WriteOptions = {}) {
    if (this.entries.has(key)) return false;
    this.write(key, value, options.ttlSeconds);
    return true;
  }

  async delete(key: string, options: { etag?: string } = {}) {
    this.check(key, options.etag);
    this.entries.delete(key);
    this.ttls.delete(key);
  }

  /** As Dapr's Redis store: every operation whose etag matches applies; a mismatch is reported afterwards. */
  async transact(operations: StateOperation[]) {
    const failure = this.failNextTransaction;
    this.failNextTransaction = undefined;
    if (failure) throw failure;
    const conflicts: string[] = [];
    for (const op of operations) {
      try {
        if (op.op === 'delete') await this.delete(op.key, op.etag !== undefined ? { etag: op.etag } : {});
        else await this.save(op.key, op.value, { ...(op.etag !== undefined ? { etag: op.etag } : {}), ...(op.ttlSeconds ? { ttlSeconds: op.ttlSeconds } : {}) });
      } catch (err) {
        if (!(err instanceof EtagMismatchError)) throw err;
        conflicts.push(op.key);
      }
    }
    if (conflicts.length) throw new EtagMismatchError(conflicts.join(','));
  }

  /**
   * The outbox marker is one more operation without an etag, so — exactly as with daprd on Redis — the
   * event is published whenever the transaction ran, even if another operation's etag check failed.
   */
  async commitWithEvent(operations: StateOperation[], projectionKey: string, event: TopicEvent<Topic>) {
    if (!operations.some((o) => o.op === 'upsert' && o.key === projectionKey)) throw new Error(`projection key ${projectionKey} is not upserted`);
    if (!TOPIC_CONTRACTS[this.outboxTopic].publishes.safeParse(event).success) throw new InvalidEventError(this.outboxTopic);
    try {
      await this.transact(operations);
    } catch (err) {
      if (err instanceof EtagMismatchError) this.outbox.push(structuredClone(event));
      throw err;
    }
    this.outbox.push(structuredClone(event));
  }

  private write(key: string, value: unknown, ttlSeconds: number | undefined) {
    // Stored as JSON text, as Redis would: what a reader gets back is a copy, with JSON's types.
    this.entries.set(key, { value: JSON.parse(JSON.stringify(value)) as unknown, etag: String(this.nextEtag++) });
    if (ttlSeconds) this.ttls.set(key, ttlSeconds);
    else this.ttls.delete(key);
  }

  private check(key: string, etag: string | undefined) {
    if (etag !== undefined && this.entries.get(key)?.etag !== etag) throw new EtagMismatchError(key);
  }
}

function parseStored<T>(key: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDataError(key, { cause: parsed.error });
  return parsed.data;
}

export interface PublishedEvent {
  topic: string;
  event: object;
  options: PublishOptions;
}

/** Validates like the adapter does, then records. */
export class RecordingEventBus implements EventBus {
  readonly published: PublishedEvent[] = [];
  failNext: Error | undefined;

  async publish<T extends Topic>(topic: T, event: TopicEvent<T>, options: PublishOptions = {}) {
    if (!TOPIC_CONTRACTS[topic].publishes.safeParse(event).success) throw new InvalidEventError(topic);
    this.record(topic, event, options);
  }

  async republish(topic: Topic, data: unknown) {
    if (!TOPIC_CONTRACTS[topic].accepts.safeParse(data).success) throw new InvalidEventError(topic);
    this.record(topic, data as object, {});
  }

  private record(topic: string, event: object, options: PublishOptions) {
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    this.published.push({ topic, event: structuredClone(event), options });
  }
}

type Route = (request: InvokeRequest) => InvokeResponse | Promise<InvokeResponse>;

/**
 * Answers invocations from per-app handlers. An app with no handler behaves like a stopped app behind
 * the adapter: SidecarError (daprd answers 500 ERR_DIRECT_INVOKE, which the adapter turns into that).
 */
export class FakeInvoker implements ServiceInvoker {
  readonly calls: Array<{ appId: string; request: InvokeRequest }> = [];
  private readonly routes = new Map<string, Route>();

  on(appId: string, route: Route): this {
    this.routes.set(appId, route);
    return this;
  }

  async invoke(appId: string, request: InvokeRequest): Promise<InvokeResponse> {
    this.calls.push({ appId, request });
    const route = this.routes.get(appId);
    if (!route) throw new SidecarError(`invoke ${appId}: app is not running`, { status: 500 });
    return route(request);
  }
}

export const jsonResponse = (status: number, body?: unknown, headers: Record<string, string> = {}): InvokeResponse => ({
  status,
  headers: new Headers({ 'content-type': 'application/json', ...headers }),
  body,
});

export class RecordingBinding {
  readonly calls: Array<{ name: string; operation: string; data: unknown; metadata: Record<string, string> }> = [];
  fail: Error | undefined;
  async invoke(name: string, operation: string, data: unknown, metadata: Record<string, string> = {}) {
    this.calls.push({ name, operation, data: structuredClone(data), metadata });
    if (this.fail) throw this.fail;
  }
}

export class StaticSecrets implements SecretReader {
  constructor(private readonly values: Record<string, string>) {}
  async get(name: string) {
    const value = this.values[name];
    if (value === undefined) throw new Error(`no secret ${name}`);
    return value;
  }
}

export class FakeSidecar implements Sidecar {
  ready = true;
  async isReady() {
    return this.ready;
  }
}
