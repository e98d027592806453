import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, bootForTests } from './platform.ts';
import { FIGURES_DIR } from '../faults/figures.ts';
import { selectedBroker, type Broker } from '../../tools/launcher/broker.ts';


/**
 * The fault suite's platform: like the integration one, plus Redis with an append-only file (it is
 * restarted mid-test), three reminder-service replicas (each with its own cron timer), and the fault
 * hooks on in notification-service. At the end the figures each scenario recorded become
 * docs/fault-report.md, or FAULT_REPORT (make test-brokers: one report per broker profile).
 * FAULT_REMINDER_REPLICAS overrides the replica count (MQTT has no consumer groups: one per app-id).
 */
export default async function setup(project: TestProject) {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  mkdirSync(FIGURES_DIR, { recursive: true });
  const booted = await bootForTests({
    name: 'faults',
    redisAppendOnly: true,
    extraReplicas: { 'reminder-service': Number(process.env.FAULT_REMINDER_REPLICAS ?? 3) - 1 },
    env: { 'notification-service': { FAULT_INJECTION: 'on' } },
  });
  project.provide('platform', booted.info);
  return async () => {
    await booted.teardown();
    writeReport();
  };
}

const BROKER_LINE: Record<Broker, string> = {
  kafka: 'Kafka 3.9 (KRaft; 3 partitions per topic, 16 for the outbox staging topic)',
  redis: 'Redis Streams (a second redis-server with appendonly)',
  rabbitmq: 'RabbitMQ (durable queues, persistent messages, publisher confirms)',
  mqtt: 'Mosquitto MQTT (QoS 1, persistent sessions)',
};

function writeReport() {
  const files = readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) return;
  const lines = [
    '# Fault suite report',
    '',
    'Written by `make test-faults` (tests/faults/) from figures measured against the real runtime:',
    `daprd 1.18.3 sidecars, ${BROKER_LINE[selectedBroker()]}, state in Redis 7 with appendonly.`,
    `Last run: ${new Date().toISOString()}.`,
    '',
  ];
  for (const file of files) {
    const { title, figures, notes } = JSON.parse(readFileSync(path.join(FIGURES_DIR, file), 'utf8')) as { title: string; figures: Record<string, unknown>; notes?: string[] };
    lines.push(`## ${title}`, '', '| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(figures)) lines.push(`| ${k} | ${typeof v === 'object' ? JSON.stringify(v) : String(v)} |`);
    lines.push('', ...(notes ?? []).map((n) => `- ${n}`), '');
  }
  const report = lines.join('\n');
  writeFileSync(process.env.FAULT_REPORT ?? path.join(ROOT, 'docs', 'fault-report.md'), report);
  process.stdout.write(`\n${report}\n`);
}
