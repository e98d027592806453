import { Router } from 'express';
import { APP_IDS } from '@todo/contracts';
import type { ServiceInvoker, Sidecar } from '@todo/dapr';
import { requireUser, type KeyProvider } from '../auth/jwt.ts';
import { forward } from './forward.ts';

export interface ApiDeps {
  invoker: ServiceInvoker;
  sidecar: Sidecar;
  signingKey: KeyProvider;
}

export function apiRoutes({ invoker, sidecar, signingKey }: ApiDeps): Router {
  const router = Router();

  // Unauthenticated: the gateway is up and its sidecar can serve calls.
  router.get('/api/health', async (_req, res) => {
    const ready = await sidecar.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'sidecar-unavailable' });
  });

  router.use('/api', requireUser(signingKey));

  router.post('/api/tasks', (req, res) => forward(invoker, APP_IDS.taskService, req, res, { method: 'POST', path: 'tasks', body: req.body }));

  return router;
}
