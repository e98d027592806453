import { z } from 'zod';
import { APP_IDS, PRIORITIES, TASK_STATUSES, type CreateTaskRequest } from '@todo/contracts';
import { SidecarError, type InvokeRequest, type InvokeResponse, type ServiceInvoker } from '@todo/dapr';
import { AppError, type Logger } from '@todo/service-kit';

/** Who is acting, passed to task-service the way the gateway passes it to us. */
export interface Actor {
  userId: string;
  correlationId: string;
  traceparent?: string | undefined;
}

/**
 * The fields chat reads from a task. A tolerant reader: task-service may add fields without breaking us,
 * and the recurrence rule is read only if it is there.
 */
export const TaskView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(z.string()).default([]),
  dueAt: z.string().nullable().default(null),
  remindAt: z.string().nullable().default(null),
  createdAt: z.string().optional(),
});
export type TaskView = z.infer<typeof TaskView>;

export interface TaskQuery {
  status?: 'open' | 'completed' | undefined;
  tag?: string | undefined;
  priority?: 'low' | 'medium' | 'high' | undefined;
}

export type CreateResult = { ok: true; task: TaskView } | { ok: false; detail: string };
export type ChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'already-completed' };

const unavailable = (cause?: unknown) =>
  new AppError('service-unavailable', 503, `${APP_IDS.taskService} is unavailable, please try again shortly`, { cause });

/**
 * task-service's internal API, reached only through our sidecar (service invocation). Answers that are
 * the user's business (not found, already completed, rejected input) come back as results for a friendly
 * reply; task-service being down is a 503; anything else it answers is our bug and a 502.
 */
export class TaskClient {
  constructor(
    private readonly invoker: ServiceInvoker,
    private readonly log: Logger,
  ) {}

  async create(actor: Actor, input: CreateTaskRequest): Promise<CreateResult> {
    const res = await this.call(actor, { method: 'POST', path: 'tasks', body: input });
    if (res.status === 201 || res.status === 200) return { ok: true, task: this.read(TaskView, res) };
    if (res.status === 400) return { ok: false, detail: problemDetail(res.body) };
    throw this.unexpected(res, 'create');
  }

  async list(actor: Actor, query: TaskQuery = {}): Promise<TaskView[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
    const qs = params.toString();
    const res = await this.call(actor, { method: 'GET', path: qs ? `tasks?${qs}` : 'tasks' });
    if (res.status === 200) return this.read(z.object({ items: z.array(TaskView) }), res).items;
    throw this.unexpected(res, 'list');
  }

  async complete(actor: Actor, taskId: string): Promise<ChangeResult> {
    const res = await this.call(actor, { method: 'POST', path: `tasks/${encodeURIComponent(taskId)}/complete` });
    if (res.status === 200) return { ok: true };
    if (res.status === 404) return { ok: false, reason: 'not-found' };
    if (res.status === 409) return { ok: false, reason: 'already-completed' };
    throw this.unexpected(res, 'complete');
  }

  async delete(actor: Actor, taskId: string): Promise<ChangeResult> {
    const res = await this.call(actor, { method: 'DELETE', path: `tasks/${encodeURIComponent(taskId)}` });
    if (res.status === 204 || res.status === 200) return { ok: true };
    if (res.status === 404) return { ok: false, reason: 'not-found' };
    throw this.unexpected(res, 'delete');
  }

  private async call(actor: Actor, request: Omit<InvokeRequest, 'headers'>): Promise<InvokeResponse> {
    const headers: Record<string, string> = {
      'x-user-id': actor.userId,
      'x-correlation-id': actor.correlationId,
      ...(actor.traceparent ? { traceparent: actor.traceparent } : {}),
    };
    let res: InvokeResponse;
    try {
      res = await this.invoker.invoke(APP_IDS.taskService, { ...request, headers });
    } catch (err) {
      if (err instanceof SidecarError) throw unavailable(err);
      throw err;
    }
    // 5xx: task-service failed, or daprd could not reach it (500 with an ERR_ code). Either way, later.
    if (res.status >= 500) {
      this.log.warn({ appId: APP_IDS.taskService, path: request.path, status: res.status, body: res.body }, 'task-service call failed');
      throw unavailable();
    }
    return res;
  }

  private read<S extends z.ZodType>(schema: S, res: InvokeResponse): z.infer<S> {
    const parsed = schema.safeParse(res.body);
    if (parsed.success) return parsed.data;
    this.log.error({ issues: parsed.error.issues.slice(0, 5) }, 'task-service answered with an unexpected body');
    throw new AppError('bad-gateway', 502, `${APP_IDS.taskService} gave an unexpected answer`);
  }

  private unexpected(res: InvokeResponse, what: string): AppError {
    this.log.error({ status: res.status, body: res.body, what }, 'task-service answered with an unexpected status');
    return new AppError('bad-gateway', 502, `${APP_IDS.taskService} gave an unexpected answer`);
  }
}

function problemDetail(body: unknown): string {
  const p = (body ?? {}) as { detail?: unknown; errors?: Array<{ path?: unknown; message?: unknown }> };
  const fields = Array.isArray(p.errors) ? p.errors.map((e) => `${String(e.path)}: ${String(e.message)}`) : [];
  return fields.length ? fields.join('; ') : typeof p.detail === 'string' ? p.detail : 'the task was rejected';
}
