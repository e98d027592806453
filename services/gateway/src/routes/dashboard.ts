import type { RequestHandler } from 'express';
import { z } from 'zod';
import { APP_IDS, InsightsResponse, Notification, TaskSummary } from '@todo/contracts';
import { UnexpectedResponseError, type ServiceInvoker } from '@todo/dapr';
import { clientGone, downstreamHeaders } from './forward.ts';

/** Each part has its own budget; a slow or stopped service costs the dashboard at most this long. */
const PART_TIMEOUT_MS = 3_000;

const RecentNotifications = z.object({ items: z.array(Notification) });

/**
 * GET /api/dashboard: asks task-, notification- and insights-service in parallel. A part that fails or times out is
 * left out and its service named in `degraded` — a partial answer, not an error. A part that runs out
 * of time is aborted (not left running), and so is everything when the client goes away.
 */
export function dashboard(invoker: ServiceInvoker): RequestHandler {
  return async (req, res) => {
    const headers = downstreamHeaders(req);
    const signal = clientGone(req, res);
    const ask = async <T>(appId: string, path: string, schema: z.ZodType<T>): Promise<T> => {
      const answer = await invoker.invoke(appId, { method: 'GET', path, headers, signal, timeoutMs: PART_TIMEOUT_MS });
      if (answer.status !== 200) throw new Error(`${appId} answered ${answer.status}`);
      const parsed = schema.safeParse(answer.body);
      if (!parsed.success) throw new UnexpectedResponseError(`${appId} answered ${path} outside its contract`, { cause: parsed.error });
      return parsed.data;
    };
    const [summary, notifications, insights] = await Promise.allSettled([
      ask(APP_IDS.taskService, 'tasks/summary', TaskSummary),
      ask(APP_IDS.notificationService, 'notifications/recent', RecentNotifications),
      // The last 7 days and 4 weeks are what a dashboard tile shows; GET /api/insights has the full model.
      ask(APP_IDS.insightsService, 'insights?days=7&weeks=4', InsightsResponse),
    ]);
    if (signal.aborted) return;
    const degraded: string[] = [];
    const value = <T>(result: PromiseSettledResult<T>, appId: string): T | undefined => {
      if (result.status === 'fulfilled') return result.value;
      degraded.push(appId);
      req.log.warn({ appId, err: result.reason }, 'dashboard part unavailable');
      return undefined;
    };
    const tasks = value(summary, APP_IDS.taskService);
    res.json({
      tasks: tasks ? { open: tasks.open, completed: tasks.completed, overdue: tasks.overdue, dueToday: tasks.dueToday } : null,
      upcomingReminders: tasks?.upcomingReminders ?? null,
      recentNotifications: value(notifications, APP_IDS.notificationService)?.items ?? null,
      insights: value(insights, APP_IDS.insightsService) ?? null,
      degraded,
    });
  };
}
