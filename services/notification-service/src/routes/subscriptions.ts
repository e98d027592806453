import { Router } from 'express';
import { EVENT_TYPES, IncomingTaskEvent, ReminderEvent } from '@todo/contracts';
import { subscriptionHandler } from '@todo/service-kit';
import { notify, type NotificationDeps } from '../domain/notifications.ts';

/** Delivery routes named in components/common/subscriptions/notification-*.yaml. */
export const ROUTES = { taskEvents: '/events/task-events', reminders: '/events/reminders' } as const;

export function subscriptionRoutes(deps: NotificationDeps): Router {
  const router = Router();

  // Only completions notify; the other task events are acknowledged and ignored.
  router.post(
    ROUTES.taskEvents,
    subscriptionHandler(IncomingTaskEvent, async ({ data, log }) => {
      if (data.type !== EVENT_TYPES.taskCompleted) return;
      await notify(deps, {
        userId: data.userId, sourceEventId: data.id, kind: 'task-completed', taskId: data.task.id,
        title: data.task.title, message: `Completed: ${data.task.title}`,
      }, data.correlationId, log);
    }),
  );

  router.post(
    ROUTES.reminders,
    subscriptionHandler(ReminderEvent, async ({ data, log }) => {
      if (data.type !== EVENT_TYPES.reminderDue) return;
      await notify(deps, {
        userId: data.userId, sourceEventId: data.id, kind: 'reminder', taskId: data.taskId,
        title: data.title, message: `Reminder: ${data.title} (${data.remindAt})`,
      }, data.correlationId, log);
    }),
  );
  return router;
}
