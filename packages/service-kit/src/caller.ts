import type { Request } from 'express';
import { AppError } from './errors.ts';

/** Who a sidecar-delivered request acts for, and the ids that tie its logs and events together. */
export interface Caller {
  userId: string;
  correlationId: string;
  traceparent: string | undefined;
}

/**
 * Internal services are called only through daprd (service invocation from the gateway). The gateway
 * has authenticated the user and passes the id in `x-user-id`; the app-token check in front of every
 * route (createServiceApp) keeps anyone but the sidecar from setting it.
 */
export function callerOf(req: Request): Caller {
  const userId = req.get('x-user-id');
  if (!userId) throw new AppError('missing-user', 401, 'x-user-id header is required');
  return { userId, correlationId: req.get('x-correlation-id') ?? req.requestId, traceparent: req.traceparent };
}
