import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { publishMetrics } from '@todo/dapr';
import { FakeSidecar, InMemoryStateStore, RecordingEventBus } from '@todo/dapr/fakes';
import { createLogger, createMetrics } from '@todo/service-kit';
import { buildApp as reminderApp } from '../../services/reminder-service/src/app.ts';
import { buildApp as deadLetterApp } from '../../services/dead-letter-service/src/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DASHBOARD = path.join(ROOT, 'k8s/observability/grafana-dashboard.json');

/** Every metric name the platform's apps define (kit, adapter, reminder and dead-letter services). */
async function definedMetrics(): Promise<Set<string>> {
  const logger = createLogger('t', 'silent');
  const kit = createMetrics({ processMetrics: true });
  publishMetrics(kit.registry);
  const names = new Set((await kit.registry.getMetricsAsJSON()).map((m) => m.name));
  for (const app of [
    reminderApp({ logger, sidecar: new FakeSidecar(), state: new InMemoryStateStore(), events: new RecordingEventBus() }),
    deadLetterApp({ logger, sidecar: new FakeSidecar(), state: new InMemoryStateStore(), events: new RecordingEventBus() }),
  ]) {
    for (const line of (await request(app).get('/metrics')).text.split('\n')) {
      const m = /^# TYPE (\S+) /.exec(line);
      if (m) names.add(m[1]!);
    }
  }
  return names;
}

describe('k8s/observability/grafana-dashboard.json', () => {
  it('is what tools/observability/dashboard.mjs generates (regenerate it: node tools/observability/dashboard.mjs)', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'dash-')), 'd.json');
    execFileSync(process.execPath, [path.join(ROOT, 'tools/observability/dashboard.mjs'), out]);
    expect(readFileSync(DASHBOARD, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it("queries only metrics the code defines (and daprd's own)", async () => {
    const defined = await definedMetrics();
    const exprs = JSON.stringify(JSON.parse(readFileSync(DASHBOARD, 'utf8')).panels);
    const used = new Set([...exprs.matchAll(/\b((?:todo|nodejs|process)_[a-z0-9_]+)(?=\{)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
  });
});
