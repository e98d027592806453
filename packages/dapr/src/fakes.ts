// In-memory stand-ins for unit tests only. Integration tests use real sidecars.
import {
  EtagMismatchError,
  type EventBus,
  type InvokeRequest,
  type InvokeResponse,
  type PublishOptions,
  type SecretReader,
  type ServiceInvoker,
  type Sidecar,
  type StateOperation,
  type StateStore,
  type Versioned,
  type WriteOptions,
} from './ports.ts';

export class InMemoryStateStore implements StateStore {
  readonly entries = new Map<string, Versioned<unknown>>();
  /** The TTL each key was last written with (the fake never expires anything; tests assert on this). */
  readonly ttls = new Map<string, number>();
  private nextEtag = 1;

  async get<T>(key: string) {
    return this.entries.get(key) as Versioned<T> | undefined;
  }

  async getMany<T>(keys: string[]) {
    const found = new Map<string, Versioned<T>>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) found.set(key, entry as Versioned<T>);
    }
    return found;
  }

  async save(key: string, value: unknown, options: WriteOptions & { etag?: string } = {}) {
    this.check(key, options.etag);
    this.entries.set(key, { value: structuredClone(value), etag: String(this.nextEtag++) });
    if (options.ttlSeconds) this.ttls.set(key, options.ttlSeconds);
    else this.ttls.delete(key);
  }

  async claim(key: string, value: unknown, options: WriteOptions = {}) {
    if (this.entries.has(key)) return false;
    await this.save(key, value, options);
    return true;
  }

  async delete(key: string, options: { etag?: string } = {}) {
    this.check(key, options.etag);
    this.entries.delete(key);
  }

  async transact(operations: StateOperation[]) {
    for (const op of operations) this.check(op.key, op.etag);
    for (const op of operations) {
      if (op.op === 'delete') this.entries.delete(op.key);
      else if (op.metadata?.['outbox.projection'] !== 'true') {
        this.entries.set(op.key, { value: structuredClone(op.value), etag: String(this.nextEtag++) });
      }
    }
  }

  private check(key: string, etag: string | undefined) {
    if (etag !== undefined && this.entries.get(key)?.etag !== etag) throw new EtagMismatchError(key);
  }
}

export interface PublishedEvent {
  topic: string;
  event: object;
  options: PublishOptions;
}

export class RecordingEventBus implements EventBus {
  readonly published: PublishedEvent[] = [];
  failNext: Error | undefined;

  async publish(topic: string, event: object, options: PublishOptions = {}) {
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    this.published.push({ topic, event: structuredClone(event), options });
  }
}

type Route = (request: InvokeRequest) => InvokeResponse | Promise<InvokeResponse>;

/** Answers invocations from per-app handlers; an app with no handler behaves like a stopped service. */
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
    if (!route) {
      return { status: 500, headers: new Headers({ 'content-type': 'application/json' }), body: { errorCode: 'ERR_DIRECT_INVOKE' } };
    }
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
