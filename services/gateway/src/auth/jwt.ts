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

export interface TokenPolicy {
  /** `iss` every token must carry (JWT_ISSUER). */
  issuer: string;
  /** `aud` every token must carry (JWT_AUDIENCE). */
  audience: string;
  /** How far our clock may disagree with the issuer's on `exp`, `nbf` and `iat` (JWT_CLOCK_SKEW_SECONDS). */
  clockSkewSeconds: number;
}

/**
 * Bearer JWT, HS256 only: `alg: none` and every other algorithm are refused before the signature is
 * looked at, so a token cannot choose how it is checked. `sub` (the user id) and `exp` are required —
 * a token that never expires is refused — and `iss`/`aud` must be ours, so a token minted for another
 * service with the same key does not open this API. Optional `roles`. Every failure is the same 401,
 * so the answer tells an attacker nothing about why.
 */
export function requireUser(key: KeyProvider, policy: TokenPolicy): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return next(new AppError('unauthorized', 401, 'missing bearer token'));
    try {
      const { payload } = await jwtVerify(match[1], await key(), {
        algorithms: ['HS256'],
        issuer: policy.issuer,
        audience: policy.audience,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: policy.clockSkewSeconds,
      });
      if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 200) {
        throw new AppError('unauthorized', 401, 'invalid or expired token');
      }
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
