import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DependencyTimeoutError, SidecarError, createDaprAdapter } from '../src/index.ts';

// The invoke path of the adapter against a stand-in for daprd's HTTP API (what real daprd answers is
// covered by the ports contract in the integration suite; these are the cases a healthy sidecar
// cannot be made to produce on demand: a hang, its own error codes).
let close: (() => void) | undefined;
afterEach(() => close?.());

async function sidecar(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => {
    server.closeAllConnections();
    server.close();
  };
  const adapter = createDaprAdapter({
    httpPort: (server.address() as AddressInfo).port, apiToken: 'tok', pubsubName: 'pubsub', stateStoreName: 'statestore', secretStoreName: 'secretstore',
    invokeTimeoutMs: 300, logger: pino({ level: 'silent' }),
  });
  return adapter.invoker;
}

describe('Dapr adapter: service invocation', () => {
  it('when the sidecar does not answer in time, then DependencyTimeoutError (and the request is aborted)', async () => {
    let closed = false;
    const invoker = await sidecar((req) => req.on('close', () => (closed = true)));
    await expect(invoker.invoke('task-service', { method: 'POST', path: 'tasks', body: {} })).rejects.toBeInstanceOf(DependencyTimeoutError);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });

  it("when daprd answers with its own ERR_ code, then SidecarError; an app's 500 problem is an answer", async () => {
    let appFails = false;
    const invoker = await sidecar((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.statusCode = 500;
      res.end(JSON.stringify(appFails ? { type: 'urn:todo:problem:internal', status: 500 } : { errorCode: 'ERR_DIRECT_INVOKE', message: 'failed to invoke, id: x' }));
    });
    await expect(invoker.invoke('x', { method: 'POST', path: 'a', body: {} })).rejects.toBeInstanceOf(SidecarError);
    appFails = true;
    expect((await invoker.invoke('x', { method: 'POST', path: 'a', body: {} })).status).toBe(500);
  });

  it('when daprd reports a deadline exceeded, then DependencyTimeoutError', async () => {
    const invoker = await sidecar((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.statusCode = 500;
      res.end(JSON.stringify({ errorCode: 'ERR_DIRECT_INVOKE', message: 'context deadline exceeded' }));
    });
    await expect(invoker.invoke('x', { method: 'GET', path: 'a' })).rejects.toBeInstanceOf(DependencyTimeoutError);
  });

  it('when the caller cancels, then the call rejects with the abort, not as a dependency failure', async () => {
    const invoker = await sidecar(() => undefined);
    const controller = new AbortController();
    const call = invoker.invoke('x', { method: 'GET', path: 'a', signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends the Dapr API token and the JSON body, and returns status, headers and parsed body', async () => {
    const invoker = await sidecar((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('location', '/tasks/1');
        res.statusCode = 201;
        res.end(JSON.stringify({ token: req.headers['dapr-api-token'], url: req.url, got: JSON.parse(body) }));
      });
    });
    const res = await invoker.invoke('task-service', { method: 'POST', path: 'tasks', body: { title: 'x' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/tasks/1');
    expect(res.body).toEqual({ token: 'tok', url: '/v1.0/invoke/task-service/method/tasks', got: { title: 'x' } });
  });
});
