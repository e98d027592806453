import { Gauge, type Registry } from 'prom-client';
import { TOPICS } from '@todo/contracts';
import { pendingByTopic, type DeadLetterDeps } from '../domain/dead-letters.ts';

export const PENDING_GAUGE = 'todo_dead_letters_pending';

/**
 * `todo_dead_letters_pending{topic}` in the app's registry (served on /metrics by the service kit). The
 * gauge is computed from the state store at scrape time: every replica reports the same truth, and
 * nothing is lost on restart. Every known topic is always reported (0 when clean), so an alert on
 * `> 0` has a series to watch. A store that cannot be read makes the scrape a 503, not a false 0.
 */
export function registerDeadLetterMetrics(registry: Registry, deps: Pick<DeadLetterDeps, 'store'>): void {
  new Gauge({
    name: PENDING_GAUGE,
    help: 'Dead letters waiting for an operator (status pending), by original topic.',
    labelNames: ['topic'],
    registers: [registry],
    async collect() {
      const counts = await pendingByTopic(deps, Object.values(TOPICS));
      this.reset();
      for (const [topic, count] of counts) this.set({ topic }, count);
    },
  });
}
