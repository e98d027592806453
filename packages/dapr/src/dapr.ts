import { CommunicationProtocolEnum, DaprClient, LogLevel, StateConcurrencyEnum, type LoggerService } from '@dapr/dapr';
import type { Logger } from 'pino';
import {
  EtagMismatchError,
  SidecarError,
  type EventBus,
  type InvokeRequest,
  type OutputBinding,
  type InvokeResponse,
  type SecretReader,
  type ServiceInvoker,
  type Sidecar,
  type StateOperation,
  type StateStore,
  type Versioned,
  type WriteOptions,
} from './ports.ts';

export interface DaprAdapterOptions {
  httpPort: number;
  apiToken?: string | undefined;
  pubsubName: string;
  stateStoreName: string;
  secretStoreName: string;
  logger: Logger;
}

export interface DaprAdapter {
  events: EventBus;
  state: StateStore;
  invoker: ServiceInvoker;
  secrets: SecretReader;
  bindings: OutputBinding;
  sidecar: Sidecar;
}

/**
 * Routes the SDK's own log lines into our pino logger (the SDK would otherwise use console). Its
 * "errors" are the failures it hands back to us (an etag conflict, a failed publish), which the adapter
 * throws and the caller handles or logs; logging them as errors here too would only be noise.
 */
function sdkLogger(logger: Logger): LoggerService {
  const child = logger.child({ component: 'dapr-sdk' });
  return {
    error: (msg, ...rest) => child.debug({ rest }, String(msg)),
    warn: (msg, ...rest) => child.warn({ rest }, String(msg)),
    info: (msg, ...rest) => child.info({ rest }, String(msg)),
    verbose: (msg, ...rest) => child.debug({ rest }, String(msg)),
    debug: (msg, ...rest) => child.debug({ rest }, String(msg)),
  };
}

/** The SDK reports HTTP failures as Error(JSON.stringify({error, error_msg, status})). */
function statusOf(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  try {
    const parsed = JSON.parse(err.message) as { status?: unknown };
    return typeof parsed.status === 'number' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

/** Dapr answers an etag conflict with 409 (save, delete, transaction). */
function rethrow(err: unknown, what: string, key?: string): never {
  const status = statusOf(err);
  if (status === 409 && key !== undefined) throw new EtagMismatchError(key, { cause: err });
  throw new SidecarError(`${what} failed`, { status, cause: err });
}

/**
 * The one place that talks to the sidecar. State, pub/sub and secrets go through the SDK's DaprClient,
 * wrapped so that its `{error}` results become thrown errors (the SDK returns them instead of throwing).
 * Invocation uses fetch against the sidecar's invoke API, because the SDK's invoker drops the response
 * status and headers, and the gateway must pass 201/204/404/412 and `Location` through unchanged.
 */
export function createDaprAdapter(options: DaprAdapterOptions): DaprAdapter {
  const { httpPort, apiToken, pubsubName, stateStoreName, secretStoreName, logger } = options;
  const client = new DaprClient({
    daprHost: '127.0.0.1',
    daprPort: String(httpPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(apiToken ? { daprApiToken: apiToken } : {}),
    logger: { level: LogLevel.Warn, service: sdkLogger(logger) },
  });
  const base = `http://127.0.0.1:${httpPort}/v1.0`;
  const tokenHeader: Record<string, string> = apiToken ? { 'dapr-api-token': apiToken } : {};

  const events: EventBus = {
    async publish(topic, event, publishOptions = {}) {
      const metadata = publishOptions.partitionKey ? { partitionKey: publishOptions.partitionKey } : undefined;
      const result = await client.pubsub.publish(pubsubName, topic, event, {
        contentType: 'application/json',
        ...(metadata ? { metadata } : {}),
      });
      if (result.error) rethrow(result.error, `publish to ${topic}`);
    },
  };

  // Etags go over the HTTP API as plain strings (the SDK's `{value}` etag type is for gRPC).
  const state: StateStore = {
    async get<T>(key: string) {
      return (await state.getMany<T>([key])).get(key);
    },
    async getMany<T>(keys: string[]) {
      const found = new Map<string, Versioned<T>>();
      if (keys.length === 0) return found;
      // getBulk, not get: the SDK's get() returns the value without its etag.
      const items = (await client.state.getBulk(stateStoreName, keys).catch((err) => rethrow(err, 'state get'))) as
        Array<{ key: string; data?: T; etag?: string }>;
      for (const item of items) {
        if (item.data !== undefined && item.data !== null && (item.data as unknown) !== '') {
          found.set(item.key, { value: item.data, etag: item.etag ?? '' });
        }
      }
      return found;
    },
    async save(key, value, saveOptions = {}) {
      const result = await client.state.save(stateStoreName, [
        { key, value, ...(saveOptions.etag ? { etag: saveOptions.etag } : {}), ...ttlMetadata(saveOptions) },
      ] as Parameters<typeof client.state.save>[1]);
      if (result.error) rethrow(result.error, `state save ${key}`, key);
    },
    async claim(key, value, claimOptions = {}) {
      const result = await client.state.save(stateStoreName, [
        { key, value, options: { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE }, ...ttlMetadata(claimOptions) },
      ] as Parameters<typeof client.state.save>[1]);
      if (!result.error) return true;
      // A first-write conflict and an outage both come back as errors (the Redis store reports the
      // conflict as a generic 500 when no etag is given): tell them apart by looking at the key.
      if (await state.get(key).catch(() => undefined)) return false;
      rethrow(result.error, `state claim ${key}`);
    },
    async delete(key, deleteOptions = {}) {
      const result = await client.state.delete(stateStoreName, key, (deleteOptions.etag ? { etag: deleteOptions.etag } : undefined) as Parameters<typeof client.state.delete>[2]);
      if (result.error) rethrow(result.error, `state delete ${key}`, key);
    },
    async transact(operations: StateOperation[]) {
      const ops = operations.map((o) =>
        o.op === 'upsert'
          ? { operation: 'upsert', request: { key: o.key, value: o.value, ...(o.etag ? { etag: o.etag } : {}), ...(o.metadata ? { metadata: o.metadata } : {}) } }
          : { operation: 'delete', request: { key: o.key, ...(o.etag ? { etag: o.etag } : {}) } },
      );
      try {
        await client.state.transaction(stateStoreName, ops as Parameters<typeof client.state.transaction>[1]);
      } catch (err) {
        rethrow(err, 'state transaction', operations.map((o) => o.key).join(','));
      }
    },
  };

  const invoker: ServiceInvoker = {
    async invoke(appId: string, request: InvokeRequest): Promise<InvokeResponse> {
      const headers: Record<string, string> = { ...tokenHeader, ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      try {
        res = await fetch(`${base}/invoke/${appId}/method/${request.path}`, { method: request.method, headers, body });
      } catch (err) {
        throw new SidecarError(`invoke ${appId} unreachable`, { cause: err });
      }
      const text = await res.text();
      const isJson = /json/.test(res.headers.get('content-type') ?? '');
      let parsed: unknown = text === '' ? undefined : text;
      if (isJson && text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };

  const secrets: SecretReader = {
    async get(name) {
      const result = (await client.secret.get(secretStoreName, name).catch((err) => rethrow(err, `secret ${name}`))) as Record<string, string>;
      const value = result?.[name];
      if (!value) throw new SidecarError(`secret ${name} is empty`);
      return value;
    },
  };

  const bindings: OutputBinding = {
    async invoke(name, operation, data, metadata = {}) {
      // The SDK's binding.send throws on failure (unlike publish/save), so no {error} check here.
      await client.binding.send(name, operation, data, metadata).catch((err) => rethrow(err, `binding ${name}`));
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

  return { events, state, invoker, secrets, bindings, sidecar };
}

/** Dapr's per-item TTL: metadata `ttlInSeconds` (Redis sets it with EXPIRE in the same script). */
function ttlMetadata(options: WriteOptions): { metadata?: Record<string, string> } {
  return options.ttlSeconds ? { metadata: { ttlInSeconds: String(options.ttlSeconds) } } : {};
}
