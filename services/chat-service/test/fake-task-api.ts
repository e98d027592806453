// An in-memory stand-in for task-service's internal API, answering through FakeInvoker the way
// task-service answers through daprd: per-user (x-user-id), the same statuses, the same bodies.
import { CreateTaskRequest, type Task } from '@todo/contracts';
import { jsonResponse } from '@todo/dapr/fakes';
import type { InvokeRequest, InvokeResponse } from '@todo/dapr';

const problem = (status: number, detail: string, errors?: Array<{ path: string; message: string }>) =>
  jsonResponse(status, { type: 'urn:todo:problem:test', title: 'problem', status, detail, ...(errors ? { errors } : {}) }, { 'content-type': 'application/problem+json' });

export class FakeTaskApi {
  readonly tasks: Task[] = [];
  private n = 0;

  constructor(private readonly now: () => Date) {}

  /** The user's tasks as task-service holds them. */
  of(userId: string): Task[] {
    return this.tasks.filter((t) => t.userId === userId);
  }

  seed(userId: string, fields: Partial<Task> & { title: string }): Task {
    const at = this.now().toISOString();
    const task: Task = {
      id: `task-${++this.n}`, userId, description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null,
      recurrence: null, status: 'open', createdAt: at, updatedAt: at, completedAt: null, seriesId: null, version: 1,
      ...fields,
    };
    this.tasks.push(task);
    return task;
  }

  readonly handle = (req: InvokeRequest): InvokeResponse => {
    const userId = req.headers?.['x-user-id'];
    if (!userId) return problem(401, 'x-user-id header is required');
    const [path = '', query = ''] = req.path.split('?');
    const [collection, id, action] = path.split('/');
    if (collection !== 'tasks') return problem(404, `no route for ${req.method} ${req.path}`);
    const own = id === undefined ? undefined : this.tasks.find((t) => t.id === id && t.userId === userId);

    if (req.method === 'POST' && id === undefined) {
      const parsed = CreateTaskRequest.safeParse(req.body);
      if (!parsed.success) {
        return problem(400, 'request is invalid', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const { title, description, priority, tags, dueAt, remindAt, recurrence } = parsed.data;
      const task = this.seed(userId, {
        title, description: description ?? null, priority, tags, dueAt: dueAt ?? null, remindAt: remindAt ?? null,
        recurrence: recurrence ?? null,
      });
      return jsonResponse(201, task, { location: `/tasks/${task.id}` });
    }
    if (req.method === 'GET' && id === undefined) {
      const q = new URLSearchParams(query);
      const matching = this.of(userId).filter(
        (t) =>
          (!q.get('status') || t.status === q.get('status')) &&
          (!q.get('tag') || t.tags.includes(q.get('tag') ?? '')) &&
          (!q.get('priority') || t.priority === q.get('priority')),
      );
      // Pages as task-service does: `limit` (default 100), an opaque `cursor`, `next` null on the last page.
      const limit = Number(q.get('limit') ?? 100);
      const from = Number(q.get('cursor') ?? 0);
      const items = matching.slice(from, from + limit);
      return jsonResponse(200, { items, next: from + limit < matching.length ? String(from + limit) : null });
    }
    if (!own) return problem(404, 'task not found');
    if (req.method === 'GET' && action === undefined) return jsonResponse(200, own);
    if (req.method === 'POST' && action === 'complete') {
      if (own.status === 'completed') return problem(409, 'task is already completed');
      Object.assign(own, { status: 'completed', completedAt: this.now().toISOString(), version: own.version + 1 });
      return jsonResponse(200, own);
    }
    if (req.method === 'DELETE' && action === undefined) {
      this.tasks.splice(this.tasks.indexOf(own), 1);
      return { status: 204, headers: new Headers(), body: undefined };
    }
    return problem(405, 'method not allowed');
  };
}
