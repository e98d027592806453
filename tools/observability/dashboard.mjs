// Writes k8s/observability/grafana-dashboard.json from the metric names the services expose
// (packages/service-kit/src/metrics.ts, packages/dapr/src/metrics.ts, the reminder and dead-letter
// services) and daprd's own. Regenerate: node tools/observability/dashboard.mjs
// (a unit test fails when the committed file differs from what this writes, or names a metric the
// code does not define).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const target = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'k8s/observability/grafana-dashboard.json');
const sel = '{app_id=~"$app_id", namespace=~"$namespace"}';
const sel2 = (extra) => `{app_id=~"$app_id", namespace=~"$namespace", ${extra}}`;
const rate = (metric, s = sel) => `rate(${metric}${s}[$__rate_interval])`;

let id = 0;
let y = 0;
const panels = [];
const row = (title) => {
  panels.push({ type: 'row', title, id: ++id, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
};
let x = 0;
const panel = (title, description, targets, { unit = 'short', type = 'timeseries', w = 8, h = 8 } = {}) => {
  if (x + w > 24) { x = 0; y += h; }
  panels.push({
    type, title, description, id: ++id, datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h, w, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background' } : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } },
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: { type: 'prometheus', uid: '${datasource}' } })),
  });
  x += w;
  if (x >= 24) { x = 0; y += h; }
};
const endRow = () => { if (x !== 0) { x = 0; y += 8; } };

row('HTTP: rate, errors, duration (every app, by route template)');
panel('Requests per second', 'todo_http_request_duration_seconds_count by app.', [[`sum by (app_id) (${rate('todo_http_request_duration_seconds_count')})`, '{{app_id}}']], { unit: 'reqps' });
panel('Server errors (5xx) ratio', 'Share of responses with a 5xx status. The platform promises none for bad input.', [[`sum by (app_id) (${rate('todo_http_request_duration_seconds_count', sel2('status=~"5.."'))}) / sum by (app_id) (${rate('todo_http_request_duration_seconds_count')})`, '{{app_id}}']], { unit: 'percentunit' });
panel('Client errors (4xx) by status', '4xx answers: bad input (400), auth (401/403), missing (404), conflicts (409/412).', [[`sum by (app_id, status) (${rate('todo_http_request_duration_seconds_count', sel2('status=~"4.."'))})`, '{{app_id}} {{status}}']], { unit: 'reqps' });
panel('p95 duration by route', 'histogram_quantile over todo_http_request_duration_seconds.', [[`histogram_quantile(0.95, sum by (le, app_id, route) (${rate('todo_http_request_duration_seconds_bucket')}))`, '{{app_id}} {{route}}']], { unit: 's', w: 12 });
panel('Gateway requests by route and status', 'The public API as users see it.', [[`sum by (method, route, status) (${rate('todo_http_request_duration_seconds_count', '{app_id="gateway", namespace=~"$namespace"}')})`, '{{method}} {{route}} {{status}}']], { unit: 'reqps', w: 12 });
endRow();

row('Events: published, consumed, handling time, age');
panel('Published by topic and type', 'todo_events_published_total (via: direct publish, outbox commit, dead-letter replay).', [[`sum by (topic, type, via) (${rate('todo_events_published_total', sel2('result="success"'))})`, '{{topic}} {{type}} ({{via}})']], { unit: 'ops' });
panel('Publish errors', 'The sidecar refused or could not be reached.', [[`sum by (app_id, topic) (${rate('todo_events_published_total', sel2('result="error"'))})`, '{{app_id}} {{topic}}']], { unit: 'ops' });
panel('Consumed by result', 'Answers to daprd: success, retry (redelivered later), drop (to the dead-letter topic).', [[`sum by (app_id, topic, result) (${rate('todo_events_consumed_total')})`, '{{app_id}} {{topic}} {{result}}']], { unit: 'ops' });
panel('Handler p95', 'todo_event_handler_duration_seconds.', [[`histogram_quantile(0.95, sum by (le, app_id, topic) (${rate('todo_event_handler_duration_seconds_bucket')}))`, '{{app_id}} {{topic}}']], { unit: 's' });
panel('Event age at consumption (p50, p95)', 'now − occurredAt when a consumer received the event: outbox delay, broker lag, retries.', [
  [`histogram_quantile(0.5, sum by (le, app_id, topic) (${rate('todo_event_age_seconds_bucket')}))`, 'p50 {{app_id}} {{topic}}'],
  [`histogram_quantile(0.95, sum by (le, app_id, topic) (${rate('todo_event_age_seconds_bucket')}))`, 'p95 {{app_id}} {{topic}}'],
], { unit: 's' });
panel('Drops and retries', 'What ends in a dead-letter topic (drop) or comes back (retry).', [[`sum by (app_id, topic, type, result) (${rate('todo_events_consumed_total', sel2('result!="success"'))})`, '{{app_id}} {{topic}} {{type}} {{result}}']], { unit: 'ops' });
endRow();

row('Reminders and dead letters');
panel('Reminders due and sent', 'Due: claimed by a replica when their time came. Sent: reminder.due published. Due without sent = a publish failed (re-sent after the claim times out).', [
  [`sum (${rate('todo_reminders_due_total')})`, 'due'],
  [`sum (${rate('todo_reminders_sent_total')})`, 'sent'],
  [`sum (${rate('todo_reminder_claims_lost_total')})`, 'claims lost to another replica'],
], { unit: 'ops' });
panel('Reminder lateness p95', 'remindAt → sent. DESIGN promises at most the cron interval (2 s) + 5 s.', [[`histogram_quantile(0.95, sum by (le) (${rate('todo_reminder_lateness_seconds_bucket')}))`, 'p95']], { unit: 's' });
panel('Dead letters pending', 'todo_dead_letters_pending: every replica reports the store\'s truth, so max, not sum. Alert on > 0.', [[`max by (topic) (todo_dead_letters_pending{namespace=~"$namespace"})`, '{{topic}}']], { type: 'stat' });
endRow();

row('Dapr sidecars (daprd\'s own metrics)');
panel('Sidecar HTTP API calls', 'dapr_http_server_request_count: state, publish, invoke calls from each app.', [[`sum by (app_id) (${rate('dapr_http_server_request_count')})`, '{{app_id}}']], { unit: 'reqps' });
panel('Pub/sub deliveries (daprd)', 'dapr_component_pubsub_ingress_count by process status.', [[`sum by (app_id, topic, process_status) (${rate('dapr_component_pubsub_ingress_count')})`, '{{app_id}} {{topic}} {{process_status}}']], { unit: 'ops' });
panel('Pub/sub publishes (daprd)', 'dapr_component_pubsub_egress_count (includes the outbox forwarder).', [[`sum by (app_id, topic, success) (${rate('dapr_component_pubsub_egress_count')})`, '{{app_id}} {{topic}} success={{success}}']], { unit: 'ops' });
endRow();

row('Node processes');
panel('Event loop lag p99', 'nodejs_eventloop_lag_p99_seconds: a blocked loop delays every request.', [[`max by (app_id) (nodejs_eventloop_lag_p99_seconds${sel})`, '{{app_id}}']], { unit: 's' });
panel('Resident memory', 'process_resident_memory_bytes.', [[`sum by (app_id) (process_resident_memory_bytes${sel})`, '{{app_id}}']], { unit: 'bytes' });
panel('CPU', 'rate(process_cpu_seconds_total).', [[`sum by (app_id) (${rate('process_cpu_seconds_total')})`, '{{app_id}}']], { unit: 'percentunit' });
endRow();

const dashboard = {
  __comment: 'Generated by tools/observability/dashboard.mjs from the metric names in the code; do not edit by hand.',
  uid: 'todo-platform',
  title: 'Todo platform',
  description: 'RED per route, events published/consumed by topic, type and result, event age, reminders, dead letters, daprd.',
  tags: ['todo-platform', 'dapr'],
  timezone: 'utc',
  schemaVersion: 39,
  version: 1,
  editable: true,
  refresh: '30s',
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
      {
        name: 'namespace', label: 'namespace', type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' },
        query: { query: 'label_values(todo_http_request_duration_seconds_count, namespace)', refId: 'namespace' },
        includeAll: true, allValue: '.*', multi: true, refresh: 2, current: { text: 'All', value: '$__all' },
      },
      {
        name: 'app_id', label: 'app', type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' },
        query: { query: 'label_values(todo_http_request_duration_seconds_count{namespace=~"$namespace"}, app_id)', refId: 'app_id' },
        includeAll: true, allValue: '.*', multi: true, refresh: 2, current: { text: 'All', value: '$__all' },
      },
    ],
  },
  annotations: { list: [] },
  panels,
};
writeFileSync(target, `${JSON.stringify(dashboard, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(root, target)} (${panels.length} panels)\n`);
