import type { TestProject } from 'vitest/node';
import { bootForTests } from './platform.ts';

/**
 * The autoscaling suite's platform (make test-keda): like the integration one — Kafka and Redis on free
 * ports in .run/keda, every service with a real daprd — with the fault hooks on in notification-service,
 * which the test uses to make it consume slowly. scripts/test-keda.sh runs vitest inside the control
 * plane's network namespace, so all of this listens on that namespace's loopback, where KEDA can reach it.
 */
export default async function setup(project: TestProject) {
  const booted = await bootForTests({ name: 'keda', env: { 'notification-service': { FAULT_INJECTION: 'on' } } });
  project.provide('platform', booted.info);
  return booted.teardown;
}
