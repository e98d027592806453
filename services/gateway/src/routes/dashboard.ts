import type { Clock } from '@todo/service-kit';
import type { RequestHandler } from 'express';
import { APP_IDS, type Notification, type Task } from '@todo/contracts';
import type { ServiceInvoker } from '@todo/dapr';
import { downstreamHeaders } from './forward.ts';

/** Each part has its own budget; a slow or stopped service costs the dashboard at most this long. */
const PART_TIMEOUT_MS = 3_000;

interface UpcomingReminder {
  taskId: string;
  title: string;
  remindAt: string;
}

/**
 * GET /api/dashboard: asks task-, reminder- and notification-service in parallel. A part that fails or
 * times out is left out and its service named in `degraded` — a partial answer, not an error.
 */
export function dashboard(invoker: ServiceInvoker, clock: Clock): RequestHandler {
  return async (req, res) => {
    const headers = downstreamHeaders(req);
    const ask = async <T>(appId: string, path: string): Promise<T> => {
      const answer = await Promise.race([
        invoker.invoke(appId, { method: 'GET', path, headers }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PART_TIMEOUT_MS).unref()),
      ]);
      if (answer.status !== 200) throw new Error(`${appId} answered ${answer.status}`);
      return answer.body as T;
    };
    const [tasks, reminders, notifications] = await Promise.allSettled([
      ask<{ items: Task[] }>(APP_IDS.taskService, 'tasks'),
      ask<{ items: UpcomingReminder[] }>(APP_IDS.reminderService, 'reminders/upcoming'),
      ask<{ items: Notification[] }>(APP_IDS.notificationService, 'notifications/recent'),
    ]);
    const degraded: string[] = [];
    const value = <T>(result: PromiseSettledResult<T>, appId: string): T | undefined => {
      if (result.status === 'fulfilled') return result.value;
      degraded.push(appId);
      req.log.warn({ appId, err: result.reason }, 'dashboard part unavailable');
      return undefined;
    };
    const taskItems = value(tasks, APP_IDS.taskService)?.items;
    const now = clock.now();
    const endOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const open = taskItems?.filter((t) => t.status === 'open') ?? [];
    res.json({
      tasks: taskItems
        ? {
            open: open.length,
            completed: taskItems.length - open.length,
            overdue: open.filter((t) => t.dueAt && Date.parse(t.dueAt) < now.getTime()).length,
            dueToday: open.filter((t) => t.dueAt && Date.parse(t.dueAt) >= now.getTime() && Date.parse(t.dueAt) < endOfDay.getTime()).length,
          }
        : null,
      upcomingReminders: value(reminders, APP_IDS.reminderService)?.items ?? null,
      recentNotifications: value(notifications, APP_IDS.notificationService)?.items ?? null,
      degraded,
    });
  };
}
