import { Router } from 'express';
import { COMPONENTS, IncomingTaskEvent } from '@todo/contracts';
import { subscriptionHandler } from '@todo/service-kit';
import { applyTaskEvent, sendDueReminders, type ReminderDeps } from '../domain/reminders.ts';

/** Delivery route named in components/common/subscriptions/reminder-task-events.yaml. */
export const ROUTES = { taskEvents: '/events/task-events', cron: `/${COMPONENTS.reminderCron}` } as const;

export function reminderRoutes(deps: ReminderDeps): Router {
  const router = Router();

  router.post(ROUTES.taskEvents, subscriptionHandler(IncomingTaskEvent, ({ data, log }) => applyTaskEvent(deps, data, log)));

  // The cron input binding calls this on every tick of every replica. One tick at a time per process:
  // a tick still running when the next fires makes the new one a no-op instead of a second walker.
  let ticking = false;
  router.post(ROUTES.cron, async (req, res) => {
    if (ticking) return res.status(200).json({ skipped: true });
    ticking = true;
    try {
      const result = await sendDueReminders(deps, req.log);
      if (result.sent || result.lostClaims) req.log.info(result, 'reminder tick');
      res.status(200).json(result);
    } finally {
      ticking = false;
    }
  });

  return router;
}
