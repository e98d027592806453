import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, bootForTests } from './platform.ts';

/** Where the browser tests' screenshots go (emptied at the start of every run). */
export const SCREENSHOT_DIR = path.join(ROOT, '.run', 'test-results', 'browser');

/**
 * Once per `vitest run --project browser`: the same platform the integration suite boots (Kafka, Redis,
 * Zipkin on free ports, every service with a real daprd; dapr.yaml turns the gateway's DEV_LOGIN on), in
 * its own run dir .run/browser, so it works beside `make run` and the integration suite. Each test file
 * launches Debian's Chromium (tests/support/browser.ts); screenshots go to .run/test-results/browser.
 */
export default async function setup(project: TestProject) {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const booted = await bootForTests({ name: 'browser' });
  project.provide('platform', booted.info);
  return booted.teardown;
}
