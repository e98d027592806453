import { Router, type Express } from 'express';
import { z } from 'zod';

/**
 * Fault injection for the fault suite (tests/faults): OFF unless a service is started with
 * FAULT_INJECTION=on. When on, every pub/sub delivery is counted per event id (so a test can assert
 * "exactly N attempts"), and rules make deliveries whose payload contains `match` fail — `failTimes`
 * times, or always when null — as a transient error would. Reachable only with the sidecar app token.
 */
export const FaultRule = z.strictObject({
  match: z.string().min(1),
  failTimes: z.number().int().min(1).nullable(),
});
export type FaultRule = z.infer<typeof FaultRule>;

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly attempts = new Map<string, number>();

  /** Counts the attempt; throws when a rule says this attempt fails. */
  onDelivery(route: string, eventKey: string, payload: unknown): void {
    const key = `${route} ${eventKey}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const text = JSON.stringify(payload) ?? '';
    const rule = this.rules.find((r) => text.includes(r.match));
    if (rule && (rule.failTimes === null || attempt <= rule.failTimes)) {
      throw new Error(`injected fault (rule "${rule.match}", attempt ${attempt})`);
    }
  }

  routes(): Router {
    const router = Router();
    router.get('/_faults', (_req, res) => {
      res.json({ rules: this.rules, attempts: Object.fromEntries(this.attempts) });
    });
    router.put('/_faults', (req, res) => {
      this.rules = z.object({ rules: z.array(FaultRule) }).parse(req.body).rules;
      res.json({ rules: this.rules });
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
