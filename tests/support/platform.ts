// Boots the platform for integration tests: Kafka and Redis on test ports in their own run dir, then
// every app of dapr.yaml with a real daprd on free ports. Nothing is faked.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { readRunFile } from '../../tools/launcher/run-file.ts';
import { freePort, freePortRange, startApp, stopApp, waitReady, type AppSpec, type LaunchOptions, type RunningApp } from '../../tools/launcher/processes.ts';
import { startControl } from './control.ts';
import { ensureDevSecrets, type DevSecrets } from '../../tools/launcher/secrets.ts';
import { brokerResourcesPath, selectedBroker, type Broker } from '../../tools/launcher/broker.ts';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TestInfra {
  runDir: string;
  /** The pub/sub profile (BROKER, default kafka): components/<broker>/ and its broker process. */
  broker: Broker;
  kafkaPort: number;
  kafkaControllerPort: number;
  redisPort: number;
  /** The non-Kafka brokers' ports (only the selected one is started). */
  brokerRedisPort: number;
  rabbitmqPort: number;
  mqttPort: number;
  /** The Zipkin server every daprd exports its spans to. */
  zipkinPort: number;
  /** Redis with an append-only file, so a restart keeps the data (the fault suite restarts it). */
  redisAppendOnly?: boolean;
}

export interface PlatformInfo {
  runDir: string;
  broker: Broker;
  /** Where the selected broker listens (Kafka bootstrap, Redis Streams, AMQP or MQTT port). */
  brokerPort: number;
  logDir: string;
  kafkaBootstrap: string;
  kafkaLibs: string;
  redisPort: number;
  /** Zipkin's base URL (API under /api/v2, UI under /zipkin/). */
  zipkinUrl: string;
  secrets: DevSecrets;
  apps: Record<string, Pick<AppSpec, 'appPort' | 'daprHttpPort' | 'metricsPort'>>;
  gatewayUrl: string;
  /** tests/support/control.ts: stop/start apps, webhook sink. */
  controlUrl: string;
}

export function infraEnv(infra: TestInfra): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RUN_DIR: infra.runDir,
    KAFKA_PORT: String(infra.kafkaPort),
    KAFKA_CONTROLLER_PORT: String(infra.kafkaControllerPort),
    REDIS_PORT: String(infra.redisPort),
    BROKER: infra.broker,
    BROKER_REDIS_PORT: String(infra.brokerRedisPort),
    RABBITMQ_PORT: String(infra.rabbitmqPort),
    MQTT_PORT: String(infra.mqttPort),
    ZIPKIN_PORT: String(infra.zipkinPort),
    REDIS_APPENDONLY: infra.redisAppendOnly ? 'yes' : 'no',
  };
}

export async function infra(command: 'start' | 'stop' | 'restart', env: NodeJS.ProcessEnv, what?: 'broker' | 'redis', downSeconds = 0): Promise<void> {
  const args = [path.join(ROOT, 'scripts/infra.sh'), command, ...(what ? [what] : []), ...(command === 'restart' ? [String(downSeconds)] : [])];
  await run('bash', args, { env, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * The committed components point at the `make run` ports and run dir. For tests they are copied with
 * the ports, the run dir and the webhook URL swapped, so a test run never touches a running `make run`.
 */
export function renderComponents(infra: TestInfra, controlPort: number): string {
  const target = path.join(infra.runDir, 'components');
  rmSync(target, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'components'), target, { recursive: true });
  const rewrite = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) rewrite(file);
      else if (file.endsWith('.yaml')) {
        const text = readFileSync(file, 'utf8')
          .replaceAll('127.0.0.1:16379', `127.0.0.1:${infra.redisPort}`)
          .replaceAll('127.0.0.1:19092', `127.0.0.1:${infra.kafkaPort}`)
          .replaceAll('127.0.0.1:16380', `127.0.0.1:${infra.brokerRedisPort}`)
          .replaceAll('127.0.0.1:17672', `127.0.0.1:${infra.rabbitmqPort}`)
          .replaceAll('127.0.0.1:11883', `127.0.0.1:${infra.mqttPort}`)
          .replaceAll('127.0.0.1:19411', `127.0.0.1:${infra.zipkinPort}`)
          .replaceAll('.run/', `${infra.runDir}/`)
          .replaceAll('http://127.0.0.1:18090/notifications', `http://127.0.0.1:${controlPort}/webhook`);
        writeFileSync(file, text);
      }
    }
  };
  rewrite(target);
  return target;
}

export interface PlatformOptions {
  /** Extra instances of an app-id (e.g. `{ 'reminder-service': 2 }` → 3 replicas in all). */
  extraReplicas?: Record<string, number>;
  /** Extra environment per app-id (e.g. FAULT_INJECTION=on). */
  env?: Record<string, Record<string, string>>;
}

export async function startPlatform(infra: TestInfra, logDir: string, options: PlatformOptions = {}): Promise<{ running: Map<string, RunningApp>; info: PlatformInfo; launch: LaunchOptions; control: Server }> {
  const secrets = ensureDevSecrets(infra.runDir);
  const controlPort = await freePort();
  const components = renderComponents(infra, controlPort);
  const componentsRoot = path.join(ROOT, 'components');
  const specs = readRunFile(path.join(ROOT, 'dapr.yaml'), {
    replaceResourcesPath: (p) => brokerResourcesPath(infra.broker, p).replace(/^\.\/components/, path.relative(ROOT, components)),
  });
  for (const [appId, count] of Object.entries(options.extraReplicas ?? {})) {
    const original = specs.find((s) => s.appId === appId);
    if (!original) throw new Error(`no app ${appId} to replicate`);
    for (let i = 2; i <= count + 1; i++) specs.push({ ...original, instance: String(i) });
  }
  for (const spec of specs) {
    spec.env = { ...spec.env, ...options.env?.[spec.appId] };
    if (process.env.DAPRD_LOG_LEVEL) spec.logLevel = process.env.DAPRD_LOG_LEVEL; // e.g. debug, to investigate a run
    spec.configFile = spec.configFile.replace(componentsRoot, components);
    spec.appPort = await freePort();
    spec.daprHttpPort = await freePort();
    spec.daprGrpcPort = await freePort();
    spec.daprInternalGrpcPort = await freePort();
    spec.metricsPort = await freePort();
    // The webhook channel is opt-in; tests turn it on and point it at the control server's sink.
    if (spec.appId === 'notification-service') spec.env = { ...spec.env, WEBHOOK_BINDING: 'notification-webhook' };
  }
  mkdirSync(logDir, { recursive: true });
  const daprdPath = path.join(ROOT, '.dapr', 'bin', 'daprd');
  const launch: LaunchOptions = { daprdPath, logDir, daprApiToken: secrets.daprApiToken, appApiToken: secrets.appApiToken };
  // Keyed `app-id` for the first instance, `app-id#n` for replicas.
  const running = new Map(specs.map((spec) => [spec.instance ? `${spec.appId}#${spec.instance}` : spec.appId, startApp(spec, launch)] as const));
  try {
    await Promise.all([...running.values()].map((r) => waitReady(r, { timeoutMs: 120_000, daprApiToken: secrets.daprApiToken })));
  } catch (err) {
    await stopPlatform(running); // leave no orphans behind a failed start
    throw err;
  }
  const control = await startControl({ running, launch, daprApiToken: secrets.daprApiToken, infraEnv: infraEnv(infra) }, controlPort);
  const apps = Object.fromEntries(
    specs.map((s) => [s.instance ? `${s.appId}#${s.instance}` : s.appId, { appPort: s.appPort, daprHttpPort: s.daprHttpPort, metricsPort: s.metricsPort }]),
  );
  const gateway = apps.gateway;
  if (!gateway) throw new Error('dapr.yaml has no gateway');
  return {
    running,
    launch,
    control,
    info: {
      controlUrl: `http://127.0.0.1:${controlPort}`,
      runDir: infra.runDir,
      broker: infra.broker,
      brokerPort: { kafka: infra.kafkaPort, redis: infra.brokerRedisPort, rabbitmq: infra.rabbitmqPort, mqtt: infra.mqttPort }[infra.broker],
      logDir,
      kafkaBootstrap: `127.0.0.1:${infra.kafkaPort}`,
      kafkaLibs: path.join(process.env.TODO_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'todo-platform'), 'kafka-3.9.1', 'libs'),
      redisPort: infra.redisPort,
      zipkinUrl: `http://127.0.0.1:${infra.zipkinPort}`,
      secrets,
      apps,
      gatewayUrl: `http://127.0.0.1:${gateway.appPort}`,
    },
  };
}

export async function stopPlatform(running: Map<string, RunningApp>): Promise<void> {
  await Promise.all([...running.values()].map(stopApp));
}

export interface BootOptions extends PlatformOptions {
  /** Run dir under .run/ and the name in log lines. */
  name: string;
  /** Redis with an append-only file, so a Redis restart keeps the data (the fault suite restarts it). */
  redisAppendOnly?: boolean;
}

/** Fresh infra on free ports + the platform; returns what tests need and the teardown. */
export async function bootForTests(options: BootOptions) {
  const runDir = path.join(ROOT, '.run', options.name);
  const test: TestInfra = {
    runDir,
    broker: selectedBroker(),
    kafkaPort: await freePort(),
    kafkaControllerPort: await freePort(),
    redisPort: await freePort(),
    brokerRedisPort: await freePort(),
    rabbitmqPort: await freePortRange(13), // AMQP + distribution, epmd and CLI ports (scripts/brokers.sh)
    mqttPort: await freePort(),
    zipkinPort: await freePort(),
    redisAppendOnly: options.redisAppendOnly ?? false,
  };
  const env = infraEnv(test); // the control server restarts Redis/Kafka with this same env
  await infra('stop', env).catch(() => undefined); // a previous run killed hard may have left its broker
  rmSync(runDir, { recursive: true, force: true });
  const started = Date.now();
  await infra('start', env);
  let platform;
  try {
    platform = await startPlatform(test, path.join(runDir, 'logs'), options);
  } catch (err) {
    await infra('stop', env);
    throw err;
  }
  process.stdout.write(`platform ready in ${Date.now() - started} ms (logs: ${platform.info.logDir})\n`);
  return {
    info: platform.info,
    teardown: async () => {
      platform.control.close();
      platform.control.closeAllConnections();
      await stopPlatform(platform.running);
      await infra('stop', env);
    },
  };
}
