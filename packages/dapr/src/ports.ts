// The ports services depend on. Domain code sees only these; the Dapr sidecar (dapr.ts) and the
// in-memory fakes for unit tests (fakes.ts) implement them, and one contract suite
// (test/contract/*.ts) holds both to the same behaviour.
import type { z } from 'zod';
import type { Topic, TopicEvent } from '@todo/contracts';

export interface PublishOptions {
  /** Kafka message key: events with the same key keep their order (one partition). */
  partitionKey?: string;
}

export interface EventBus {
  /**
   * Publishes a contract event. The adapter validates it against the topic's schema once, before it
   * leaves the process: an invalid event is a bug of ours (InvalidEventError), never a message on the wire.
   */
  publish<T extends Topic>(topic: T, event: TopicEvent<T>, options?: PublishOptions): Promise<void>;
  /**
   * Republishes data that came back from a dead-letter topic, unchanged. Validated against what the
   * topic's consumers accept (older schema versions included).
   */
  republish(topic: Topic, data: unknown): Promise<void>;
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

export type StateOperation =
  | { op: 'upsert'; key: string; value: unknown; etag?: string; ttlSeconds?: number }
  | { op: 'delete'; key: string; etag?: string };

/** `ttlSeconds`: the store deletes the key by itself after that long (Dapr's `ttlInSeconds`). */
export interface WriteOptions {
  ttlSeconds?: number;
}

/**
 * Reads are parsed with the caller's schema at the adapter: what comes back from the network is checked,
 * never cast. A stored value that does not match is a StoredDataError (a bug or a migration to write),
 * a schema with a transform upcasts older stored versions on read.
 */
export interface StateStore {
  get<T>(key: string, schema: z.ZodType<T>): Promise<Versioned<T> | undefined>;
  getMany<T>(keys: string[], schema: z.ZodType<T>): Promise<Map<string, Versioned<T>>>;
  /** With `etag`, fails with EtagMismatchError unless the stored etag still matches (compare-and-set). */
  save(key: string, value: unknown, options?: WriteOptions & { etag?: string }): Promise<void>;
  delete(key: string, options?: { etag?: string }): Promise<void>;
  /**
   * Writes `value` only if `key` has never been written (first-write-wins). Returns false when it
   * already exists. The atomic primitive behind idempotent consumers and "claim once" across replicas.
   */
  claim(key: string, value: unknown, options?: WriteOptions): Promise<boolean>;
  /**
   * Several operations in one request. NOT all-or-nothing, like Dapr's Redis store (MULTI/EXEC without
   * rollback): an operation whose etag check fails is skipped and reported (EtagMismatchError), the
   * others still apply. Callers make sure such a conflict cannot happen (e.g. by claiming first).
   */
  transact(operations: StateOperation[]): Promise<void>;
}

/**
 * A state store with Dapr's transactional outbox: `commitWithEvent` writes the operations and publishes
 * `event` (checked against the outbox topic's schema) once the transaction commits. The event travels
 * as the projection of `projectionKey`, one of the upserted keys. Same partial-apply caveat as transact:
 * the outbox marker has no etag, so the event goes out even when another operation's etag check failed.
 */
export interface OutboxStateStore extends StateStore {
  commitWithEvent(operations: StateOperation[], projectionKey: string, event: TopicEvent<Topic>): Promise<void>;
}

export interface InvokeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query on the target app, e.g. `tasks?status=open`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Cancels the call (e.g. the caller no longer needs the answer). */
  signal?: AbortSignal;
  /** Overrides the adapter's invocation timeout (DependencyTimeoutError when it passes). */
  timeoutMs?: number;
}

export interface InvokeResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, otherwise the text (undefined when empty). */
  body: unknown;
}

export interface ServiceInvoker {
  /**
   * Calls an app through the sidecar and returns whatever it answered (any status). Throws
   * SidecarError when the app could not be reached (sidecar down, app down, circuit open) and
   * DependencyTimeoutError when no answer came in time.
   */
  invoke(appId: string, request: InvokeRequest): Promise<InvokeResponse>;
}

/** A Dapr output binding (e.g. bindings.http for an outbound webhook). */
export interface OutputBinding {
  invoke(name: string, operation: string, data: unknown, metadata?: Record<string, string>): Promise<void>;
}

export interface SecretReader {
  get(name: string): Promise<string>;
}

export interface Sidecar {
  isReady(): Promise<boolean>;
}

/** The stored etag no longer matches: someone else wrote first. Callers re-read and decide. */
export class EtagMismatchError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`etag mismatch on ${key}`, options);
    this.name = 'EtagMismatchError';
  }
}

/** The sidecar (or what it fronts: the store, the broker, the target app) failed; retrying later may succeed. */
export class SidecarError extends Error {
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SidecarError';
    this.status = options.status;
  }
}

/** A dependency did not answer in time. Retrying later may succeed; the caller should not wait longer. */
export class DependencyTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${what} did not answer within ${timeoutMs} ms`, options);
    this.name = 'DependencyTimeoutError';
  }
}

/** Another service answered with something its contract does not allow (our bug, or version skew). */
export class UnexpectedResponseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnexpectedResponseError';
  }
}

/** A stored value does not match the schema it is read with. */
export class StoredDataError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`stored value of ${key} does not match its schema`, options);
    this.name = 'StoredDataError';
  }
}

/** An event does not match its topic's contract; it was not published. */
export class InvalidEventError extends Error {
  constructor(topic: string, options?: { cause?: unknown }) {
    super(`event does not match the contract of topic ${topic}`, options);
    this.name = 'InvalidEventError';
  }
}
