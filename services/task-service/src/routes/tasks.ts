import { Router, type Request } from 'express';
import { CreateTaskRequest } from '@todo/contracts';
import { AppError } from '@todo/service-kit';
import { createTask, type CreateTaskDeps } from '../domain/create-task.ts';

/**
 * Called only through daprd (service invocation from the gateway). The gateway has authenticated the
 * user and passes the id in `x-user-id`; the app token check in front of this router keeps anyone
 * else from setting it.
 */
export function userIdOf(req: Request): string {
  const userId = req.get('x-user-id');
  if (!userId) throw new AppError('missing-user', 401, 'x-user-id header is required');
  return userId;
}

const correlationIdOf = (req: Request) => req.get('x-correlation-id') ?? req.requestId;

export function taskRoutes(deps: CreateTaskDeps): Router {
  const router = Router();
  router.post('/tasks', async (req, res) => {
    const input = CreateTaskRequest.parse(req.body ?? {});
    const task = await createTask(deps, { userId: userIdOf(req), correlationId: correlationIdOf(req) }, input);
    req.log.info({ taskId: task.id, userId: task.userId }, 'task created');
    res.status(201).location(`/tasks/${task.id}`).json(task);
  });
  return router;
}
