import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createDaprAdapter, withTraceContext } from '../src/index.ts';

// What the adapter sends to a stand-in for daprd's HTTP API: the trace context on every call made inside
// a trace scope, and the publish counter it keeps in the app's registry.
let close: (() => void) | undefined;
afterEach(() => close?.());

interface Seen { method: string; url: string; traceparent: string | undefined }

async function sidecar(status = 204) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method!, url: req.url!, traceparent: req.headers.traceparent as string | undefined });
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('/metadata')) return res.end('{}'); // the SDK waits for it before its first call
      if (req.url?.includes('/state/statestore/bulk')) {
        res.setHeader('content-type', 'application/json');
        return res.end('[]');
      }
      res.statusCode = req.url?.includes('/invoke/') ? 200 : status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => {
    server.closeAllConnections();
    server.close();
  };
  const registry = new Registry();
  const adapter = createDaprAdapter({
    httpPort: (server.address() as AddressInfo).port, pubsubName: 'pubsub', stateStoreName: 'statestore', secretStoreName: 'secretstore',
    outboxTopic: 'task-events', logger: pino({ level: 'silent' }), metricsRegistry: registry,
  });
  return { seen, adapter, registry };
}

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const event = (type: 'notification.sent') => ({
  id: 'e1', type, version: 1 as const, userId: 'u', occurredAt: new Date().toISOString(), correlationId: 'c',
  notificationId: 'n', kind: 'task-completed' as const, channel: 'in-app', taskId: null,
});
const task = { id: 't', userId: 'u', title: 'x', description: null, priority: 'medium' as const, tags: [], dueAt: null, remindAt: null, recurrence: null, status: 'open' as const, createdAt: 'a', updatedAt: 'a', completedAt: null, seriesId: null, version: 1 };

describe('Dapr adapter: trace context and publish metrics', () => {
  it('inside a trace scope, every call to the sidecar carries the traceparent (state, outbox transaction, publish, invoke); outside, none does', async () => {
    const { seen, adapter } = await sidecar();
    await withTraceContext({ traceparent: TRACEPARENT }, async () => {
      await adapter.state.get('k', z.unknown());
      await adapter.state.commitWithEvent([{ op: 'upsert', key: 't', value: task }], 't', {
        id: 'e', type: 'task.created', version: 2, userId: 'u', occurredAt: new Date().toISOString(), correlationId: 'c', task,
      });
      await adapter.events.publish('notifications', event('notification.sent'));
      await adapter.invoker.invoke('task-service', { method: 'GET', path: 'tasks' });
    });
    await adapter.events.publish('notifications', event('notification.sent'));
    const calls = seen.filter((s) => !s.url.includes('metadata') && !s.url.includes('healthz'));
    expect(calls.map((s) => s.url.split('?')[0])).toEqual([
      '/v1.0/state/statestore/bulk', '/v1.0/state/statestore/transaction', '/v1.0/publish/pubsub/notifications',
      '/v1.0/invoke/task-service/method/tasks', '/v1.0/publish/pubsub/notifications',
    ]);
    expect(calls.slice(0, 4).map((s) => s.traceparent)).toEqual(Array(4).fill(TRACEPARENT));
    expect(calls[4]!.traceparent).toBeUndefined();
  });

  it('counts todo_events_published_total by topic, type, path and result', async () => {
    const ok = await sidecar();
    await ok.adapter.events.publish('notifications', event('notification.sent'));
    await ok.adapter.state.commitWithEvent([{ op: 'upsert', key: 't', value: task }], 't', {
      id: 'e', type: 'task.created', version: 2, userId: 'u', occurredAt: new Date().toISOString(), correlationId: 'c', task,
    });
    const text = await ok.registry.metrics();
    expect(text).toContain('todo_events_published_total{topic="notifications",type="notification.sent",via="direct",result="success"} 1');
    expect(text).toContain('todo_events_published_total{topic="task-events",type="task.created",via="outbox",result="success"} 1');
    close?.();

    const failing = await sidecar(500);
    await expect(failing.adapter.events.publish('notifications', event('notification.sent'))).rejects.toThrow();
    expect(await failing.registry.metrics()).toContain('todo_events_published_total{topic="notifications",type="notification.sent",via="direct",result="error"} 1');
  });
});
