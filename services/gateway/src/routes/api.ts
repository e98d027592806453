import { Router, type Request } from 'express';
import { APP_IDS, DEAD_LETTER_ID_PATTERN, IF_MATCH_PATTERN, TASK_ID_PATTERN } from '@todo/contracts';
import type { ServiceInvoker, Sidecar } from '@todo/dapr';
import { AppError, notFound } from '@todo/service-kit';
import { requireAdmin, requireUser, type KeyProvider, type TokenPolicy } from '../auth/jwt.ts';
import { docsRoutes } from '../docs/docs.ts';
import { dashboard } from './dashboard.ts';
import { forward, queryOf, segment } from './forward.ts';

export interface ApiDeps {
  invoker: ServiceInvoker;
  sidecar: Sidecar;
  signingKey: KeyProvider;
  tokenPolicy: TokenPolicy;
}

/**
 * An id that cannot name a resource is a 404 here, before any service is asked: it never reaches an
 * internal route by accident (`/api/tasks/summary` is not task-service's internal `/tasks/summary`),
 * and a path segment like `..` never travels.
 */
const idOf = (req: Request, pattern: RegExp, what: string) => {
  const id = req.params.id;
  if (typeof id !== 'string' || !pattern.test(id)) throw notFound(what);
  return segment(id);
};
const taskPath = (req: Request, suffix = '') => `tasks/${idOf(req, TASK_ID_PATTERN, 'task')}${suffix}`;
const deadLetterPath = (req: Request, suffix = '') => `dead-letters/${idOf(req, DEAD_LETTER_ID_PATTERN, 'dead letter')}${suffix}`;

/**
 * Every /api route is a service invocation through the gateway's sidecar, except health and the API
 * docs. `/` and everything outside /api is left to the web console.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const { invoker, sidecar, signingKey } = deps;
  const router = Router();
  const tasks = APP_IDS.taskService;

  // Unauthenticated: the OpenAPI document and its viewer.
  router.use(docsRoutes());

  // Unauthenticated: the gateway is up and its sidecar can serve calls.
  router.get('/api/health', async (_req, res) => {
    const ready = await sidecar.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'sidecar-unavailable' });
  });

  router.use('/api', requireUser(signingKey, deps.tokenPolicy));

  router.post('/api/tasks', (req, res) => forward(invoker, tasks, req, res, { method: 'POST', path: 'tasks', body: req.body }));
  router.get('/api/tasks', (req, res) => forward(invoker, tasks, req, res, { method: 'GET', path: `tasks${queryOf(req)}` }));
  router.get('/api/tasks/:id', (req, res) => forward(invoker, tasks, req, res, { method: 'GET', path: taskPath(req) }));
  router.patch('/api/tasks/:id', (req, res) => {
    // Whenever sent it counts: an empty or malformed one is a 400, never a change applied unconditionally
    // (an empty If-Match used to be dropped here and the PATCH applied; found by the fuzzer).
    const ifMatch = req.get('if-match');
    if (ifMatch !== undefined && !IF_MATCH_PATTERN.test(ifMatch.trim())) {
      throw new AppError('invalid-if-match', 400, 'If-Match must be a task version (a positive integer)');
    }
    return forward(invoker, tasks, req, res, {
      method: 'PATCH',
      path: taskPath(req),
      body: req.body,
      ...(ifMatch !== undefined ? { headers: { 'if-match': ifMatch } } : {}),
    });
  });
  router.post('/api/tasks/:id/complete', (req, res) => forward(invoker, tasks, req, res, { method: 'POST', path: taskPath(req, '/complete') }));
  router.delete('/api/tasks/:id', (req, res) => forward(invoker, tasks, req, res, { method: 'DELETE', path: taskPath(req) }));

  router.get('/api/notifications', (req, res) =>
    forward(invoker, APP_IDS.notificationService, req, res, { method: 'GET', path: `notifications${queryOf(req)}` }));

  router.post('/api/chat', (req, res) => forward(invoker, APP_IDS.chatService, req, res, { method: 'POST', path: 'chat', body: req.body }));
  router.get('/api/chat/history', (req, res) => forward(invoker, APP_IDS.chatService, req, res, { method: 'GET', path: 'chat/history' }));

  router.get('/api/dashboard', dashboard(invoker));

  // The insights read model (insights-service, Python): the caller's, and the admin's rebuild by replay.
  const insights = APP_IDS.insightsService;
  router.get('/api/insights', (req, res) => forward(invoker, insights, req, res, { method: 'GET', path: `insights${queryOf(req)}` }));

  const dlq = APP_IDS.deadLetterService;
  router.use('/api/admin', requireAdmin);
  router.get('/api/admin/dead-letters', (req, res) => forward(invoker, dlq, req, res, { method: 'GET', path: `dead-letters${queryOf(req)}` }));
  router.get('/api/admin/dead-letters/:id', (req, res) => forward(invoker, dlq, req, res, { method: 'GET', path: deadLetterPath(req) }));
  router.post('/api/admin/dead-letters/:id/replay', (req, res) => forward(invoker, dlq, req, res, { method: 'POST', path: deadLetterPath(req, '/replay') }));
  router.delete('/api/admin/dead-letters/:id', (req, res) => forward(invoker, dlq, req, res, { method: 'DELETE', path: deadLetterPath(req) }));
  router.post('/api/admin/insights/rebuild', (req, res) => forward(invoker, insights, req, res, { method: 'POST', path: 'admin/insights/rebuild' }));
  router.get('/api/admin/insights/rebuild', (req, res) => forward(invoker, insights, req, res, { method: 'GET', path: 'admin/insights/rebuild' }));

  return router;
}
