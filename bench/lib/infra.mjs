// The bench's own Kafka, Redis (state store) and Redis Streams broker, on free ports in .run/bench, started
// by the project's scripts (scripts/infra.sh, scripts/brokers.sh) exactly as the tests start them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { freePort } from '../../tools/launcher/processes.ts';
import { ROOT, log } from './util.mjs';

const run = promisify(execFile);

export const KAFKA_LIBS = path.join(process.env.TODO_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'todo-platform'), 'kafka-3.9.1', 'libs');

export async function startInfra(runDir) {
  const infra = {
    runDir,
    broker: 'kafka',
    kafkaPort: await freePort(),
    kafkaControllerPort: await freePort(),
    redisPort: await freePort(),
    brokerRedisPort: await freePort(),
    // Its own Zipkin too (infra.sh starts one): the sidecars export every span, as under make run.
    zipkinPort: await freePort(),
    rabbitmqPort: 1,
    mqttPort: 1,
  };
  infra.env = {
    ...process.env,
    RUN_DIR: runDir,
    KAFKA_PORT: String(infra.kafkaPort),
    KAFKA_CONTROLLER_PORT: String(infra.kafkaControllerPort),
    REDIS_PORT: String(infra.redisPort),
    BROKER: 'kafka',
    BROKER_REDIS_PORT: String(infra.brokerRedisPort),
    ZIPKIN_PORT: String(infra.zipkinPort),
  };
  infra.bootstrap = `127.0.0.1:${infra.kafkaPort}`;
  await run('bash', [path.join(ROOT, 'scripts/infra.sh'), 'start'], { env: infra.env, maxBuffer: 16 << 20 });
  // The Redis Streams scenario's broker: scripts/brokers.sh's own redis-server (appendonly, as BROKER=redis runs it).
  await run('bash', [path.join(ROOT, 'scripts/brokers.sh'), 'start', 'redis'], { env: { ...infra.env, BROKER: 'redis' }, maxBuffer: 16 << 20 });
  infra.pids = () => {
    const pid = (name) => Number(readFileSync(path.join(runDir, 'pids', `${name}.pid`), 'utf8'));
    return { kafka: pid('kafka'), redis: pid('redis'), 'redis-streams': pid('redis-broker') };
  };
  log(`infra up: kafka ${infra.bootstrap}, redis :${infra.redisPort}, redis streams :${infra.brokerRedisPort}`);
  return infra;
}

export async function stopInfra(infra) {
  await run('bash', [path.join(ROOT, 'scripts/infra.sh'), 'stop'], { env: infra.env }).catch((err) => log(`infra stop: ${err.message}`));
}

/** Creates topics ({name: partitions}) that do not exist yet. */
export async function createTopics(infra, topics) {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [infra.bootstrap] });
  try {
    const existing = new Set(await admin.listTopics());
    for (const [name, partitions] of Object.entries(topics)) {
      if (!existing.has(name)) await admin.createTopics({ topics: [name], partitions, replicas: 1 });
    }
  } finally {
    await admin.close();
  }
}

/** Runs one of Kafka's own tools (kafka-tools jar) and returns its stdout. */
export async function kafkaTool(mainClass, args, timeoutMs = 120_000) {
  const { stdout, stderr } = await run('java', ['-Xmx512m', '-cp', `${KAFKA_LIBS}/*`, `-Dlog4j.configuration=file:${path.join(ROOT, 'tools/kafka/log4j.properties')}`, mainClass, ...args], {
    maxBuffer: 64 << 20,
    timeout: timeoutMs,
  });
  return stdout + stderr;
}
