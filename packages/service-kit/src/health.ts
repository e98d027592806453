import { Router } from 'express';

export interface ReadinessProbe {
  /** True when the sidecar can serve calls (`/v1.0/healthz/outbound`). */
  isReady(): Promise<boolean>;
}

/** `/healthz`: the process is alive. `/readyz`: it can also reach its sidecar, so it can do work. */
export function healthRoutes(sidecar: ReadinessProbe): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await sidecar.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'sidecar-unavailable' });
  });
  return router;
}
