import { Router } from 'express';
import { EVENT_TYPES, IncomingTaskEvent } from '@todo/contracts';
import { subscriptionHandler } from '@todo/service-kit';
import { rollForward, type RollForwardDeps } from '../domain/roll-forward.ts';

/** Delivery route named in components/common/subscriptions/recurring-task-events.yaml. */
export const ROUTES = { taskEvents: '/events/task-events' } as const;

export function subscriptionRoutes(deps: RollForwardDeps): Router {
  const router = Router();
  router.post(
    ROUTES.taskEvents,
    subscriptionHandler(IncomingTaskEvent, async ({ data, log }) => {
      if (data.type === EVENT_TYPES.taskCompleted) await rollForward(deps, data, log);
    }),
  );
  return router;
}
