import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, bootForTests } from './platform.ts';

export const FIGURES_DIR = path.join(ROOT, '.run', 'fault-figures');

/**
 * The fault suite's platform: like the integration one, plus Redis with an append-only file (it is
 * restarted mid-test), three reminder-service replicas (each with its own cron timer), and the fault
 * hooks on in notification-service. At the end the figures each scenario recorded become
 * docs/fault-report.md.
 */
export default async function setup(project: TestProject) {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  mkdirSync(FIGURES_DIR, { recursive: true });
  const booted = await bootForTests({
    name: 'faults',
    redisAppendOnly: true,
    extraReplicas: { 'reminder-service': 2 },
    env: { 'notification-service': { FAULT_INJECTION: 'on' } },
  });
  project.provide('platform', booted.info);
  return async () => {
    await booted.teardown();
    writeReport();
  };
}

function writeReport() {
  const files = readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) return;
  const lines = [
    '# Fault suite report',
    '',
    'Written by `make test-faults` (tests/faults/) from figures measured against the real runtime:',
    'daprd 1.18.3 sidecars, Kafka 3.9 (KRaft; 3 partitions per topic, 32 for the outbox staging topic), Redis 7 with appendonly.',
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
  writeFileSync(path.join(ROOT, 'docs', 'fault-report.md'), report);
  process.stdout.write(`\n${report}\n`);
}
