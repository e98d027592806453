import type { TestProject } from 'vitest/node';
import { bootForTests, type PlatformInfo } from './platform.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    platform: PlatformInfo;
  }
}

/**
 * Once per `vitest run --project integration`: fresh Kafka + Redis on free ports in .run/test, then every
 * service with its daprd. Sidecar and app logs go to .run/test/logs and stay there until the next run
 * (scripts/test.sh prints their tails when a test fails).
 */
export default async function setup(project: TestProject) {
  const booted = await bootForTests({ name: 'test' });
  project.provide('platform', booted.info);
  return booted.teardown;
}
