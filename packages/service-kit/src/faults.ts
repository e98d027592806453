import { Router, type Express } from 'express';
import { z } from 'zod';

/**
 * Fault injection for the fault suite (tests/faults): OFF unless a service is started with
 * FAULT_INJECTION=on. When on, every pub/sub delivery is counted per event id (so a test can assert
 * "exactly N attempts"), and rules act on deliveries whose payload contains `match`:
 *  - `failTimes`: they fail — that many times, or always when null — as a transient error would;
 *  - `holdMs` (+ `holdTimes`, default 1): the first `holdTimes` of them are held that long before being
 *    handled, as a slow handler would (a delivery in flight while the broker restarts).
 * `POST /_faults/release` ends every hold in progress at once (the autoscaling test freezes a consumer
 * group with long holds, measures its lag while it cannot move, then lets it go).
 * Reachable only with the sidecar app token.
 */
export const FaultRule = z.union([
  z.strictObject({ match: z.string().min(1), failTimes: z.number().int().min(1).nullable() }),
  z.strictObject({ match: z.string().min(1), holdMs: z.number().int().min(1).max(300_000), holdTimes: z.number().int().min(1).default(1) }),
]);
export type FaultRule = z.infer<typeof FaultRule>;

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly attempts = new Map<string, number>();
  /** Deliveries held so far per hold rule (by its index in `rules`). */
  private held = new Map<number, number>();
  /** Holds so far, for the test: route, event, how long, when it started and (once over) ended. */
  private readonly holds: Array<{ route: string; eventKey: string; ms: number; startedAt: string; endedAt?: string }> = [];
  /** Ends the holds still waiting (release()). */
  private readonly waiting = new Set<() => void>();

  /** Counts the attempt; waits when a hold rule says so; throws when a fail rule says this attempt fails. */
  async onDelivery(route: string, eventKey: string, payload: unknown): Promise<void> {
    const key = `${route} ${eventKey}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const text = JSON.stringify(payload) ?? '';
    const index = this.rules.findIndex((r) => text.includes(r.match));
    const rule = this.rules[index];
    if (!rule) return;
    if ('holdMs' in rule) {
      const done = this.held.get(index) ?? 0;
      if (done >= rule.holdTimes) return;
      this.held.set(index, done + 1);
      const hold: (typeof this.holds)[number] = { route, eventKey, ms: rule.holdMs, startedAt: new Date().toISOString() };
      this.holds.push(hold);
      await new Promise<void>((resolve) => {
        const end = () => {
          clearTimeout(timer);
          this.waiting.delete(end);
          resolve();
        };
        const timer = setTimeout(end, rule.holdMs);
        this.waiting.add(end);
      });
      hold.endedAt = new Date().toISOString();
      return;
    }
    if (rule.failTimes === null || attempt <= rule.failTimes) {
      throw new Error(`injected fault (rule "${rule.match}", attempt ${attempt})`);
    }
  }

  /** Ends every hold in progress now; returns how many there were. */
  release(): number {
    const ends = [...this.waiting];
    for (const end of ends) end();
    return ends.length;
  }

  routes(): Router {
    const router = Router();
    router.get('/_faults', (_req, res) => {
      res.json({ rules: this.rules, attempts: Object.fromEntries(this.attempts), holds: this.holds });
    });
    router.put('/_faults', (req, res) => {
      this.rules = z.object({ rules: z.array(FaultRule) }).parse(req.body).rules;
      this.held = new Map();
      res.json({ rules: this.rules });
    });
    router.post('/_faults/release', (_req, res) => {
      res.json({ released: this.release() });
    });
    return router;
  }
}

const KEY = 'faultInjector';

export function installFaultInjection(app: Express, enabled: boolean): void {
  if (!enabled) return;
  const injector = new FaultInjector();
  app.locals[KEY] = injector;
  app.use(injector.routes());
}

export const faultInjectorOf = (app: Express): FaultInjector | undefined => app.locals[KEY] as FaultInjector | undefined;
