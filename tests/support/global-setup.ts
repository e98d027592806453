import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, infra, infraEnv, startPlatform, stopPlatform, type PlatformInfo, type TestInfra } from './platform.ts';
import { freePort } from '../../tools/launcher/processes.ts';

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
  const runDir = path.join(ROOT, '.run', 'test');
  const test: TestInfra = {
    runDir,
    kafkaPort: await freePort(),
    kafkaControllerPort: await freePort(),
    redisPort: await freePort(),
  };
  const env = infraEnv(test);
  await infra('stop', env).catch(() => undefined); // a previous run killed hard may have left its broker
  rmSync(runDir, { recursive: true, force: true });
  const started = Date.now();
  await infra('start', env);
  let platform;
  try {
    platform = await startPlatform(test, path.join(runDir, 'logs'));
  } catch (err) {
    await infra('stop', env);
    throw err;
  }
  process.stdout.write(`platform ready in ${Date.now() - started} ms (logs: ${platform.info.logDir})\n`);
  project.provide('platform', platform.info);

  return async () => {
    platform.control.close();
    platform.control.closeAllConnections();
    await stopPlatform(platform.running);
    await infra('stop', env);
  };
}
