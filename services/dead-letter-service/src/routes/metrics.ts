import { Router } from 'express';
import { Gauge, Registry } from 'prom-client';
import { TOPICS } from '@todo/contracts';
import { AppError } from '@todo/service-kit';
import { pendingByTopic, type DeadLetterDeps } from '../domain/dead-letters.ts';

export const PENDING_GAUGE = 'todo_dead_letters_pending';

/**
 * Prometheus metrics. The registry belongs to this app instance, not prom-client's global default, so
 * two apps in one process (tests) never share or re-register metrics. The gauge is computed from the
 * state store at scrape time: every replica reports the same truth, and nothing is lost on restart.
 * Every known topic is always reported (0 when clean), so an alert on `> 0` has a series to watch.
 */
export function metricsRoutes(deps: Pick<DeadLetterDeps, 'store'>): Router {
  const registry = new Registry();
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

  const router = Router();
  router.get('/metrics', async (_req, res) => {
    let text: string;
    try {
      text = await registry.metrics();
    } catch (err) {
      throw new AppError('metrics-unavailable', 503, 'cannot read dead letters', { cause: err });
    }
    res.type(registry.contentType).send(text);
  });
  return router;
}
