import { Router } from 'express';
import { TaskEvent } from '@todo/contracts';
import type { StateStore } from '@todo/dapr';
import { subscriptionHandler } from '@todo/service-kit';
import { recordTaskEvent } from '../domain/record-task-event.ts';

/** Delivery routes named in components/common/subscriptions/*.yaml (declarative subscriptions). */
export const ROUTES = { taskEvents: '/events/task-events' } as const;

export function subscriptionRoutes(state: StateStore): Router {
  const router = Router();
  router.post(
    ROUTES.taskEvents,
    subscriptionHandler(TaskEvent, async ({ data, log }) => {
      await recordTaskEvent(state, data, log);
    }),
  );
  return router;
}
