import type { RequestHandler } from 'express';
import { errors, jwtVerify } from 'jose';
import { AppError } from '@todo/service-kit';

export interface Principal {
  userId: string;
  roles: string[];
}

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
  }
}

/** Supplies the HS256 key; loaded from the secret store and cached by the caller. */
export type KeyProvider = () => Promise<Uint8Array>;

/**
 * Bearer JWT (HS256): `sub` is the user id, optional `roles`. jose checks signature, `exp` and `nbf`.
 * Every failure is the same 401 so the response tells an attacker nothing about why.
 */
export function requireUser(key: KeyProvider): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return next(new AppError('unauthorized', 401, 'missing bearer token'));
    try {
      const { payload } = await jwtVerify(match[1], await key(), { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new AppError('unauthorized', 401, 'token has no subject');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      req.principal = { userId: payload.sub, roles };
      next();
    } catch (err) {
      if (err instanceof AppError) return next(err);
      if (err instanceof errors.JOSEError) return next(new AppError('unauthorized', 401, 'invalid or expired token'));
      next(err); // key unavailable etc.: not the caller's fault
    }
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.principal?.roles.includes('admin')) return next(new AppError('forbidden', 403, 'admin role required'));
  next();
};
