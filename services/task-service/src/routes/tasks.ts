import { Router, type Request } from 'express';
import { z } from 'zod';
import { CreateTaskRequest, ListTasksQuery, PatchTaskRequest } from '@todo/contracts';
import { AppError, callerOf as actorOf } from '@todo/service-kit';
import {
  completeTask,
  createOccurrence,
  createTask,
  deleteTask,
  getTask,
  listTasks,
  patchTask,
  summarizeTasks,
  type TaskDeps,
} from '../domain/tasks.ts';

/** `If-Match: 3` or `If-Match: "3"` (a quoted entity tag) → 3. */
function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const version = Number(header.replace(/^W\//, '').replaceAll('"', '').trim());
  if (!Number.isInteger(version) || version < 1) throw new AppError('invalid-if-match', 400, 'If-Match must be a task version (a positive integer)');
  return version;
}

const OccurrenceParams = z.object({ seriesId: z.string().min(1).max(100), occurrence: z.string().min(1).max(100) });

export function taskRoutes(deps: TaskDeps): Router {
  const router = Router();

  router.post('/tasks', async (req, res) => {
    const task = await createTask(deps, actorOf(req), CreateTaskRequest.parse(req.body ?? {}));
    req.log.info({ taskId: task.id, userId: task.userId }, 'task created');
    res.status(201).location(`/tasks/${task.id}`).json(task);
  });

  router.get('/tasks', async (req, res) => {
    res.json(await listTasks(deps, actorOf(req).userId, ListTasksQuery.parse(req.query)));
  });

  // Internal, for the gateway's dashboard: counts over all of the caller's tasks.
  router.get('/tasks/summary', async (req, res) => {
    res.json(await summarizeTasks(deps, actorOf(req).userId));
  });

  router.get('/tasks/:id', async (req, res) => {
    const task = await getTask(deps, actorOf(req).userId, req.params.id);
    res.set('etag', `"${task.version}"`).json(task);
  });

  router.patch('/tasks/:id', async (req, res) => {
    const task = await patchTask(deps, actorOf(req), req.params.id, PatchTaskRequest.parse(req.body ?? {}), expectedVersion(req));
    res.set('etag', `"${task.version}"`).json(task);
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const task = await completeTask(deps, actorOf(req), req.params.id);
    req.log.info({ taskId: task.id }, 'task completed');
    res.json(task);
  });

  router.delete('/tasks/:id', async (req, res) => {
    await deleteTask(deps, actorOf(req), req.params.id);
    res.status(204).end();
  });

  // Internal, for recurring-service: the next instance of a series, idempotent on (series, occurrence).
  router.put('/series/:seriesId/occurrences/:occurrence', async (req, res) => {
    const { seriesId, occurrence } = OccurrenceParams.parse(req.params);
    const { task, created } = await createOccurrence(deps, actorOf(req), seriesId, occurrence, CreateTaskRequest.parse(req.body ?? {}));
    res.status(created ? 201 : 200).location(`/tasks/${task.id}`).json(task);
  });

  return router;
}
