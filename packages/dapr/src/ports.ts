// The ports services depend on. Domain code sees only these; the Dapr sidecar (dapr.ts) and the
// in-memory fakes for unit tests (fakes.ts) implement them.

export interface PublishOptions {
  /** Kafka message key: events with the same key keep their order (one partition). */
  partitionKey?: string;
}

export interface EventBus {
  publish(topic: string, event: object, options?: PublishOptions): Promise<void>;
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

export type StateOperation =
  | { op: 'upsert'; key: string; value: unknown; etag?: string; metadata?: Record<string, string> }
  | { op: 'delete'; key: string; etag?: string };

/** `ttlSeconds`: the store deletes the key by itself after that long (Dapr's `ttlInSeconds`). */
export interface WriteOptions {
  ttlSeconds?: number;
}

export interface StateStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  getMany<T>(keys: string[]): Promise<Map<string, Versioned<T>>>;
  /** With `etag`, fails with EtagMismatchError unless the stored etag still matches (compare-and-set). */
  save(key: string, value: unknown, options?: WriteOptions & { etag?: string }): Promise<void>;
  delete(key: string, options?: { etag?: string }): Promise<void>;
  /**
   * Writes `value` only if `key` has never been written (first-write-wins). Returns false when it
   * already exists. The atomic primitive behind idempotent consumers and "claim once" across replicas.
   */
  claim(key: string, value: unknown, options?: WriteOptions): Promise<boolean>;
  /** All-or-nothing; on a store with an outbox configured, each upsert is also published. */
  transact(operations: StateOperation[]): Promise<void>;
}

export interface InvokeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query on the target app, e.g. `tasks?status=open`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InvokeResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, otherwise the text (undefined when empty). */
  body: unknown;
}

export interface ServiceInvoker {
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

/** The sidecar (or what it fronts) failed; retrying later may succeed. */
export class SidecarError extends Error {
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SidecarError';
    this.status = options.status;
  }
}
