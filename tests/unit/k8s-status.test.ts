// The status screen's rendering (tools/k8s-status/render.ts) from a fixed snapshot; the keda suite runs
// the whole tool against the loopback control plane.
import { describe, expect, it } from 'vitest';
import { quantity } from '../../tools/k8s-status/collect.ts';
import { renderNamespace, table } from '../../tools/k8s-status/render.ts';
import type { NamespaceStatus } from '../../tools/k8s-status/collect.ts';

const at = new Date('2026-05-01T12:00:00Z');
const snapshot: NamespaceStatus = {
  namespace: 'todo-dev',
  at,
  server: 'https://127.0.0.1:6443',
  services: [
    { name: 'gateway', deployment: 'todo-todo-platform-gateway', desired: 2, current: 2, ready: 2 },
    {
      name: 'notification-service', deployment: 'todo-todo-platform-notification-service', desired: 3, current: 3, ready: 1,
      scaler: {
        name: 'todo-todo-platform-notification-service', min: 1, max: 3,
        conditions: { Ready: 'True', Active: 'True', Fallback: 'False', Paused: 'False' },
        consumerGroup: 'notification-service',
        hpa: { name: 'keda-hpa-x', current: 3, desired: 3, limited: 'TooManyReplicas' },
        triggers: [
          { metric: 's0-kafka-reminders', source: 'reminders', type: 'kafka', value: 0, target: 100 },
          { metric: 's1-kafka-task-events', source: 'task-events', type: 'kafka', value: 300, target: 100 },
        ],
      },
    },
    {
      name: 'reminder-service', deployment: 'todo-todo-platform-reminder-service', desired: 1, current: 1, ready: 0,
      scaler: { name: 'r', min: 1, max: 3, conditions: { Ready: 'False' }, triggers: [{ metric: 's0-kafka-task-events', source: 'task-events', type: 'kafka', target: 100, error: 'HTTP 503' }] },
    },
  ],
  components: [
    { name: 'pubsub', type: 'pubsub.kafka', scopes: ['task-service', 'notification-service'] },
    { name: 'todo-open', type: 'state.redis', scopes: [] },
  ],
  subscriptions: 6,
  events: [
    { at: new Date('2026-05-01T11:59:30Z'), object: 'HorizontalPodAutoscaler/keda-hpa-x', reason: 'FailedGetExternalMetric', message: 'unable to get external metric', count: 2 },
  ],
  problems: ['Dapr subscriptions: HTTP 500'],
};

describe('k8s-status screen', () => {
  const text = renderNamespace(snapshot);
  const line = (start: string) => text.split('\n').find((l) => l.startsWith(start)) ?? '';

  it('one line per service: spec/ready replicas, the ScaledObject state and HPA, each trigger lag against its target', () => {
    expect(line('notification-service')).toMatch(/^notification-service\s+3\/1\s+KEDA ready, active; 1\.\.3; HPA 3→3 \(TooManyReplicas\)\s+reminders 0\/100 · task-events 300\/100$/);
    expect(line('gateway ')).toMatch(/^gateway\s+2\/2\s+-\s+-$/);
    expect(line('reminder-service')).toContain('KEDA not ready; 1..3; no HPA yet');
    expect(line('reminder-service')).toContain('task-events (HTTP 503)/100');
  });

  it('components with their scopes, warnings with their age, and what could not be read', () => {
    expect(line('pubsub')).toMatch(/^pubsub\s+pubsub\.kafka\s+task-service, notification-service$/);
    expect(line('todo-open')).toContain('(all apps)');
    expect(text).toContain('DAPR COMPONENTS (2; 6 subscriptions)');
    expect(line('30s')).toMatch(/^30s\s+HorizontalPodAutoscaler\/keda-hpa-x\s+FailedGetExternalMetric\s+2\s+unable to get external metric$/);
    expect(text).toContain('! Dapr subscriptions: HTTP 500');
  });

  it('pads columns to the widest cell and reads Kubernetes quantities', () => {
    expect(table(['A', 'BB'], [['xxx', 'y']])).toEqual(['A    BB', 'xxx  y']);
    expect([quantity('250'), quantity('1500m'), quantity('2k'), quantity(undefined), quantity('n/a')]).toEqual([250, 1.5, 2000, undefined, undefined]);
  });
});
