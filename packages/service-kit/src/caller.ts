import type { Request } from 'express';
import type { Actor } from '@todo/contracts';
import { AppError } from './errors.ts';

/**
 * Who a sidecar-delivered request acts for. Internal services are called only through daprd (service
 * invocation from the gateway). The gateway has authenticated the user and sets `x-user-id` itself
 * (it never forwards a client's); the app-token check in front of every route (createServiceApp) keeps
 * anyone but the sidecar from setting it here.
 */
export function callerOf(req: Request): Actor {
  const userId = req.get('x-user-id');
  if (!userId) throw new AppError('missing-user', 401, 'x-user-id header is required');
  return { userId, correlationId: req.get('x-correlation-id') ?? req.requestId, traceparent: req.traceparent };
}
