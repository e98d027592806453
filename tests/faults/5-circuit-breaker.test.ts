// Scenario 5: task-service down → recurring-service's calls trip its circuit breaker (the app-level
// breaker of the Dapr adapter, seen in the app's log), and the pending work completes once task-service
// is back: nothing lost. (daprd's own breaker is not used: it counted 4xx answers as failures.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, eventually, platform, settled, startApp, stopApp } from '../support/clients.ts';
import { recordFigures, sleep } from './figures.ts';

const USER = 'breaker-user';
const SERIES = 5;

describe('scenario 5: circuit breaker on recurring-service → task-service', () => {
  it('when task-service is down, then the breaker trips, and every next instance is created once it is back', async () => {
    const firsts = [];
    for (let i = 0; i < SERIES; i++) {
      const res = await api('POST', '/api/tasks', { user: USER, body: { title: `daily ${i}`, dueAt: '2030-06-01T08:00:00Z', recurrence: { frequency: 'daily' } } });
      firsts.push(res.body.id as string);
    }
    // Hold recurring-service's app (its daprd keeps the deliveries and retries them) while the
    // completions are committed, then take task-service's app away and let recurring-service work.
    const appLog = path.join(platform().logDir, 'recurring-service.app.log');
    const opened = () => readFileSync(appLog, 'utf8').includes('circuit breaker for task-service opened');
    let trippedAfterMs: number;
    let backAt: number;
    try {
      await stopApp('recurring-service', { what: 'app' });
      for (const id of firsts) expect((await api('POST', `/api/tasks/${id}/complete`, { user: USER })).status).toBe(200);
      // The completions are on task-events once notification-service has notified each of them.
      await eventually(async () => {
        const feed = (await api('GET', '/api/notifications?limit=100', { user: USER })).body.items as Array<{ kind: string }>;
        return feed.filter((n) => n.kind === 'task-completed').length >= SERIES ? true : undefined;
      }, 60_000, 500);
      await stopApp('task-service', { signal: 'SIGKILL', what: 'app' });
      const downAt = Date.now();
      await startApp('recurring-service');
      await eventually(async () => (opened() ? true : undefined), 120_000, 1_000);
      trippedAfterMs = Date.now() - downAt;
      await sleep(5_000); // the outage goes on a little while the open breaker fails calls fast
    } finally {
      await startApp('task-service');
      await startApp('recurring-service');
      backAt = Date.now();
    }

    const next = await eventually(async () => {
      const open = (await api('GET', '/api/tasks?status=open', { user: USER })).body.items as Array<{ seriesId: string }>;
      return open.length >= SERIES ? open : undefined;
    }, 300_000, 2_000);
    await settled(); // every redelivery and retry has had its effect: a duplicate would be there now
    const finalOpen = (await api('GET', '/api/tasks?status=open', { user: USER })).body.items as Array<{ seriesId: string; dueAt: string }>;
    const perSeries = new Map<string, number>();
    for (const t of finalOpen) perSeries.set(t.seriesId, (perSeries.get(t.seriesId) ?? 0) + 1);
    const breakerLines = readFileSync(appLog, 'utf8').split('\n').filter((l) => l.includes('"component":"circuit-breaker"')).map((l) => JSON.parse(l).msg as string);
    recordFigures('5-breaker', 'Scenario 5 — task-service down: circuit breaker and recovery', {
      'recurring tasks completed while task-service went down': SERIES,
      'breaker opened after (ms)': trippedAfterMs,
      'next instances created after task-service came back (ms)': Date.now() - backAt,
      'next instances': finalOpen.length,
      lost: firsts.filter((id) => !perSeries.has(id)).length,
      duplicated: [...perSeries.values()].filter((n) => n > 1).length,
    }, breakerLines.slice(0, 6).map((l) => `recurring-service: ${l}`));
    expect(next.length).toBeGreaterThanOrEqual(SERIES);
    expect(finalOpen).toHaveLength(SERIES);
    expect(firsts.every((id) => perSeries.get(id) === 1)).toBe(true);
    expect(finalOpen.every((t) => t.dueAt === '2030-06-02T08:00:00.000Z')).toBe(true);
  });
});
