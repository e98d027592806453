import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/platform.ts';

/** Where scenarios leave their figures (make test-brokers gives each broker profile its own). */
export const FIGURES_DIR = process.env.FAULT_FIGURES_DIR ?? path.join(ROOT, '.run', 'fault-figures');

/** Records one scenario's figures; the fault suite's teardown turns them into docs/fault-report.md. */
export function recordFigures(file: string, title: string, figures: Record<string, unknown>, notes: string[] = []) {
  const dir = FIGURES_DIR;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${file}.json`), JSON.stringify({ title, figures, notes }, null, 2));
  process.stdout.write(`${title}: ${JSON.stringify(figures)}\n`);
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  }));
  return results;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
