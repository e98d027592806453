// What an operator sees of one user action: the metrics every service exposes move, and create →
// complete of one task is ONE trace in Zipkin across gateway, task-service, the outbox hop and
// notification-service, with the trace id on every app log line of it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, appMetric, eventually, FEED_WAIT_MS, notificationsOf, platform } from '../support/clients.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function createAndComplete(user: string, headers: Record<string, string> = {}) {
  const created = await api('POST', '/api/tasks', { user, headers, body: { title: `observe ${hex(3)}` } });
  expect(created.status).toBe(201);
  const completed = await api('POST', `/api/tasks/${created.body.id}/complete`, { user, headers });
  expect(completed.status).toBe(200);
  // The completion reaches notification-service through the outbox (~1-2 s).
  await eventually(async () => (await notificationsOf(user))?.find((n) => n.taskId === created.body.id), FEED_WAIT_MS);
  return { taskId: created.body.id as string, responses: [created, completed] };
}

describe('metrics: every service exposes /metrics, and the series move for a real flow', () => {
  it('each app answers /metrics in Prometheus format with its app_id, and daprd keeps its own metrics', async () => {
    for (const [appId, app] of Object.entries(platform().apps)) {
      const res = await fetch(`http://127.0.0.1:${app.appPort}/metrics`);
      expect(res.status, appId).toBe(200);
      const text = await res.text();
      expect(text, appId).toContain(`app_id="${appId.split('#')[0]}"`);
      expect(text, appId).toContain('process_cpu_seconds_total');
      const daprd = await (await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`)).text();
      expect(daprd, `${appId} daprd`).toContain('dapr_runtime_component_loaded');
    }
  });

  it('create + complete moves the gateway RED series, task-service outbox publishes, notification-service consumption, event age and its own publish', async () => {
    const gatewayCount = (route: string, method: string, status: string) =>
      appMetric('gateway', 'todo_http_request_duration_seconds_count', { route, method, status });
    const published = (type: string) => appMetric('task-service', 'todo_events_published_total', { topic: 'task-events', type, via: 'outbox', result: 'success' });
    const consumed = () => appMetric('notification-service', 'todo_events_consumed_total', { topic: 'task-events', type: 'task.completed', result: 'success' });
    const aged = () => appMetric('notification-service', 'todo_event_age_seconds_count', { topic: 'task-events', type: 'task.completed' });
    const handled = () => appMetric('notification-service', 'todo_event_handler_duration_seconds_count', { topic: 'task-events', type: 'task.completed', result: 'success' });
    const sent = () => appMetric('notification-service', 'todo_events_published_total', { topic: 'notifications', type: 'notification.sent', via: 'direct', result: 'success' });
    const taskHttp = () => appMetric('task-service', 'todo_http_request_duration_seconds_count', { route: '/tasks/:id/complete', method: 'POST', status: '200' });

    const before = {
      create: await gatewayCount('/api/tasks', 'POST', '201'), complete: await gatewayCount('/api/tasks/:id/complete', 'POST', '200'),
      created: await published('task.created'), completed: await published('task.completed'),
      consumed: await consumed(), aged: await aged(), handled: await handled(), sent: await sent(), taskHttp: await taskHttp(),
    };
    await createAndComplete('metrics-user');

    expect(await gatewayCount('/api/tasks', 'POST', '201')).toBe(before.create + 1);
    expect(await gatewayCount('/api/tasks/:id/complete', 'POST', '200')).toBe(before.complete + 1);
    expect(await taskHttp()).toBe(before.taskHttp + 1);
    expect(await published('task.created')).toBe(before.created + 1);
    expect(await published('task.completed')).toBe(before.completed + 1);
    // The notification exists, but the handler stores it before it answers and the counters move when it
    // has answered: on a busy machine a read can fall between the two, so wait for them (never past +1).
    await eventually(async () => ((await consumed()) > before.consumed ? true : undefined), 10_000, 100);
    expect(await consumed()).toBe(before.consumed + 1);
    expect(await handled()).toBe(before.handled + 1);
    expect(await aged()).toBe(before.aged + 1);
    // notification.sent once per channel: in-app, and the webhook the test platform turns on.
    expect(await sent()).toBe(before.sent + 2);
    // An unknown route and a 401 land under their labels, not under an id.
    await api('GET', '/api/tasks', { token: null });
    expect(await gatewayCount('/api/tasks', 'GET', '401')).toBeGreaterThanOrEqual(1);
  });
});

interface Span { traceId: string; id: string; parentId?: string; name: string; kind?: string; localEndpoint?: { serviceName?: string } }

describe('traces: create → complete of one task is one trace', () => {
  it('in Zipkin across gateway, task-service, the outbox hop and notification-service; and every app log line of the flow carries its trace id', async () => {
    const traceId = hex(16);
    const traceparent = `00-${traceId}-${hex(8)}-01`; // the client's own trace: both calls join it
    const { taskId, responses } = await createAndComplete('trace-user', { traceparent });
    for (const r of responses) expect(r.headers.get('x-trace-id')).toBe(traceId);

    const zipkin = platform().zipkinUrl;
    const serviceOf = (s: Span) => s.localEndpoint?.serviceName ?? '?';
    let spans: Span[] = [];
    // Each daprd exports in its own batches (every few seconds): wait until the delivery to
    // notification-service is in, and the gateway's and task-service's spans too (another daprd's batch
    // can come later than notification-service's own under load).
    try {
      await eventually(async () => {
        const res = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
        spans = res.ok ? ((await res.json()) as Span[]) : [];
        const delivered = spans.some((s) => serviceOf(s) === 'notification-service' && s.name.includes('task-events'));
        return delivered && ['gateway', 'task-service'].every((app) => spans.some((s) => serviceOf(s) === app)) ? true : undefined;
      }, 45_000, 1_000);
    } catch {
      throw new Error(`trace ${traceId} in Zipkin lacks a service's spans; spans: ${JSON.stringify(spans.map((s) => [serviceOf(s), s.name]))}`);
    }
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    const services = new Set(spans.map(serviceOf));
    for (const service of ['gateway', 'task-service', 'notification-service']) expect(services, JSON.stringify([...services])).toContain(service);
    // The outbox hop: notification-service's deliveries hang off a task-service span (the state
    // transaction that staged the event), not off a new root.
    const byId = new Map(spans.map((s) => [s.id, s]));
    const deliveries = spans.filter((s) => serviceOf(s) === 'notification-service' && s.name.includes('task-events'));
    expect(deliveries.length).toBeGreaterThanOrEqual(2); // task.created and task.completed
    for (const d of deliveries) expect(serviceOf(byId.get(d.parentId ?? '') ?? ({} as Span)), `parent of ${d.name}`).toBe('task-service');

    // Logs: every line of the flow — the gateway's lines of both requests, and every line of a
    // task-service or notification-service request that touched this task — carries the trace id.
    const logLines = (appId: string) => readFileSync(path.join(platform().logDir, `${appId}.app.log`), 'utf8').split('\n')
      .filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const gatewayIds = new Set(responses.map((r) => r.headers.get('x-request-id')));
    const flow = await eventually(async () => {
      const lines = {
        gateway: logLines('gateway').filter((l) => gatewayIds.has(l.requestId as string)),
        'task-service': linesOfRequestsTouching(logLines('task-service'), taskId),
        'notification-service': linesOfRequestsTouching(logLines('notification-service'), taskId),
      };
      return Object.values(lines).every((ls) => ls.length > 0) ? lines : undefined;
    });
    for (const [appId, lines] of Object.entries(flow)) {
      for (const line of lines) expect(line.traceId, `${appId}: ${JSON.stringify(line)}`).toBe(traceId);
    }
    expect(flow.gateway.filter((l) => l.msg === 'request finished')).toHaveLength(2);
    expect(flow['notification-service'].some((l) => l.msg === 'notification created')).toBe(true);
  });
});

/** Lines that mention the task, and every other line of the same request or delivery (by requestId). */
function linesOfRequestsTouching(lines: Array<Record<string, unknown>>, taskId: string) {
  const requests = new Set(lines.filter((l) => typeof l.requestId === 'string' && JSON.stringify(l).includes(taskId)).map((l) => l.requestId));
  return lines.filter((l) => requests.has(l.requestId));
}
