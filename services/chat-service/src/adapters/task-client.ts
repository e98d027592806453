import { z } from 'zod';
import { APP_IDS, type Actor, type CreateTaskRequest } from '@todo/contracts';
import { SidecarError, UnexpectedResponseError, type InvokeRequest, type InvokeResponse, type ServiceInvoker } from '@todo/dapr';
import type { Logger } from '@todo/service-kit';
import { LIST_LIMIT, TaskView, type ChangeResult, type CreateResult, type TaskApi, type TaskQuery } from '../domain/task-api.ts';

const TaskPage = z.object({ items: z.array(TaskView), next: z.string().nullable() });

/**
 * task-service's internal API, reached only through our sidecar (service invocation). Unreachable,
 * timed out or circuit open: the adapter's errors propagate and the service kit maps them (503/504).
 * A 5xx from task-service is the same to the user (try again later); any other status or body outside
 * the contract is a bug somewhere and a 502.
 */
export class TaskClient implements TaskApi {
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
    const items: TaskView[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: '200' });
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      if (cursor) params.set('cursor', cursor);
      const res = await this.call(actor, { method: 'GET', path: `tasks?${params}` });
      if (res.status !== 200) throw this.unexpected(res, 'list');
      const page = this.read(TaskPage, res);
      items.push(...page.items);
      cursor = page.next;
    } while (cursor && items.length < LIST_LIMIT);
    return items.slice(0, LIST_LIMIT);
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
    return this.invoker.invoke(APP_IDS.taskService, { ...request, headers });
  }

  private read<S extends z.ZodType>(schema: S, res: InvokeResponse): z.infer<S> {
    const parsed = schema.safeParse(res.body);
    if (parsed.success) return parsed.data;
    this.log.error({ issues: parsed.error.issues.slice(0, 5) }, 'task-service answered with an unexpected body');
    throw new UnexpectedResponseError(`${APP_IDS.taskService} answered outside its contract`, { cause: parsed.error });
  }

  private unexpected(res: InvokeResponse, what: string): Error {
    if (res.status >= 500) {
      this.log.warn({ status: res.status, what }, 'task-service failed');
      return new SidecarError(`${APP_IDS.taskService} failed (${res.status})`, { status: res.status });
    }
    this.log.error({ status: res.status, body: res.body, what }, 'task-service answered with an unexpected status');
    return new UnexpectedResponseError(`${APP_IDS.taskService} answered ${res.status} to ${what}`);
  }
}

function problemDetail(body: unknown): string {
  const p = (body ?? {}) as { detail?: unknown; errors?: Array<{ path?: unknown; message?: unknown }> };
  const fields = Array.isArray(p.errors) ? p.errors.map((e) => `${String(e.path)}: ${String(e.message)}`) : [];
  return fields.length ? fields.join('; ') : typeof p.detail === 'string' ? p.detail : 'the task was rejected';
}
