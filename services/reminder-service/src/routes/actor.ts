import type { Request } from 'express';
import { AppError } from '@todo/service-kit';

/** The gateway passes the authenticated user in `x-user-id`; only callers holding the app token get here. */
export function actorOf(req: Request) {
  const userId = req.get('x-user-id');
  if (!userId) throw new AppError('missing-user', 401, 'x-user-id header is required');
  return { userId };
}
