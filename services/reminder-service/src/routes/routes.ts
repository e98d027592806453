import { Router } from 'express';
import { COMPONENTS, IncomingTaskEvent } from '@todo/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';
import { subscriptionHandler } from '@todo/service-kit';
import { applyTaskEvent, sendDueReminders, type ReminderDeps, type TickResult } from '../domain/reminders.ts';

/** Delivery route named in components/common/subscriptions/reminder-task-events.yaml. */
export const ROUTES = { taskEvents: '/events/task-events', cron: `/${COMPONENTS.reminderCron}` } as const;

/**
 * Reminder metrics in the app's registry. `due` counts reminders this replica claimed when their time
 * had come; `sent` those whose reminder.due it published (due − sent = publishes that failed after the
 * claim; the claim times out and another tick sends them). Lateness is what DESIGN promises to bound:
 * remindAt → sent, at most the cron interval + 5 s.
 */
function reminderMetrics(registry: Registry) {
  const due = new Counter({ name: 'todo_reminders_due_total', help: 'Reminders whose time had come, claimed by this replica for sending.', registers: [registry] });
  const sent = new Counter({ name: 'todo_reminders_sent_total', help: 'reminder.due events published.', registers: [registry] });
  const lost = new Counter({ name: 'todo_reminder_claims_lost_total', help: 'Due reminders another replica (or a task change) claimed first.', registers: [registry] });
  const lateness = new Histogram({
    name: 'todo_reminder_lateness_seconds',
    help: 'How long after its remindAt a reminder was sent.',
    buckets: [0.5, 1, 2, 3, 5, 7, 10, 30, 60, 300, 3600],
    registers: [registry],
  });
  return (tick: TickResult) => {
    due.inc(tick.due);
    sent.inc(tick.sent);
    lost.inc(tick.lostClaims);
    for (const seconds of tick.lateness) lateness.observe(seconds);
  };
}

export function reminderRoutes(deps: ReminderDeps, registry: Registry): Router {
  const router = Router();
  const record = reminderMetrics(registry);

  router.post(ROUTES.taskEvents, subscriptionHandler(IncomingTaskEvent, ({ data, log }) => applyTaskEvent(deps, data, log)));

  // The cron input binding calls this on every tick of every replica. One tick at a time per process:
  // a tick still running when the next fires makes the new one a no-op instead of a second walker.
  let ticking = false;
  router.post(ROUTES.cron, async (req, res) => {
    if (ticking) return res.status(200).json({ skipped: true });
    ticking = true;
    try {
      const result = await sendDueReminders(deps, req.log);
      record(result);
      const { lateness: _lateness, ...summary } = result;
      if (result.sent || result.lostClaims) req.log.info(summary, 'reminder tick');
      res.status(200).json(result);
    } finally {
      ticking = false;
    }
  });

  return router;
}
