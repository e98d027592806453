import { Router } from 'express';
import { APP_IDS } from '@todo/contracts';
import type { ServiceInvoker, Sidecar } from '@todo/dapr';
import { requireAdmin, requireUser, type KeyProvider, type TokenPolicy } from '../auth/jwt.ts';
import { dashboard } from './dashboard.ts';
import { forward, queryOf, segment } from './forward.ts';

export interface ApiDeps {
  invoker: ServiceInvoker;
  sidecar: Sidecar;
  signingKey: KeyProvider;
  tokenPolicy: TokenPolicy;
}

/** Every /api route is a service invocation through the gateway's sidecar; nothing is served locally. */
export function apiRoutes(deps: ApiDeps): Router {
  const { invoker, sidecar, signingKey } = deps;
  const router = Router();
  const tasks = APP_IDS.taskService;

  // Unauthenticated: the gateway is up and its sidecar can serve calls.
  router.get('/api/health', async (_req, res) => {
    const ready = await sidecar.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'sidecar-unavailable' });
  });

  router.use('/api', requireUser(signingKey, deps.tokenPolicy));

  router.post('/api/tasks', (req, res) => forward(invoker, tasks, req, res, { method: 'POST', path: 'tasks', body: req.body }));
  router.get('/api/tasks', (req, res) => forward(invoker, tasks, req, res, { method: 'GET', path: `tasks${queryOf(req)}` }));
  router.get('/api/tasks/:id', (req, res) => forward(invoker, tasks, req, res, { method: 'GET', path: `tasks/${segment(req.params.id)}` }));
  router.patch('/api/tasks/:id', (req, res) => {
    const ifMatch = req.get('if-match');
    return forward(invoker, tasks, req, res, {
      method: 'PATCH',
      path: `tasks/${segment(req.params.id)}`,
      body: req.body,
      ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
    });
  });
  router.post('/api/tasks/:id/complete', (req, res) => forward(invoker, tasks, req, res, { method: 'POST', path: `tasks/${segment(req.params.id)}/complete` }));
  router.delete('/api/tasks/:id', (req, res) => forward(invoker, tasks, req, res, { method: 'DELETE', path: `tasks/${segment(req.params.id)}` }));

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
  router.get('/api/admin/dead-letters/:id', (req, res) => forward(invoker, dlq, req, res, { method: 'GET', path: `dead-letters/${segment(req.params.id)}` }));
  router.post('/api/admin/dead-letters/:id/replay', (req, res) =>
    forward(invoker, dlq, req, res, { method: 'POST', path: `dead-letters/${segment(req.params.id)}/replay` }));
  router.delete('/api/admin/dead-letters/:id', (req, res) => forward(invoker, dlq, req, res, { method: 'DELETE', path: `dead-letters/${segment(req.params.id)}` }));
  router.post('/api/admin/insights/rebuild', (req, res) => forward(invoker, insights, req, res, { method: 'POST', path: 'admin/insights/rebuild' }));
  router.get('/api/admin/insights/rebuild', (req, res) => forward(invoker, insights, req, res, { method: 'GET', path: 'admin/insights/rebuild' }));

  return router;
}
