import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '@todo/service-kit';

/**
 * Body of POST /console/dev-token: who to sign in as. User ids are kept to what a person would type
 * (the API accepts any `sub` up to 200 characters; a dev helper has no reason to mint odd ones).
 */
export const DevLoginRequest = z.strictObject({
  userId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'letters, digits and . _ @ - (1..64, starting with a letter or digit)'),
  admin: z.boolean().default(false),
});

/** How long a console dev token lives: a working day, like `make token`'s. */
export const DEV_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/**
 * A caller on this machine: the socket's peer is a loopback address and no proxy says it forwarded the
 * request (behind a local reverse proxy every caller would look local). `trust proxy` is off, so
 * nothing a client sends can change the socket's address.
 */
export function isLoopbackCaller(req: Request): boolean {
  if (req.get('forwarded') !== undefined || req.get('x-forwarded-for') !== undefined) return false;
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/**
 * The page was asked for by a loopback name (localhost, 127.x, [::1]). Without this a web page elsewhere
 * could rebind its own host name to 127.0.0.1 (DNS rebinding) and, being same-origin then, read a token.
 */
export function isLoopbackHost(req: Request): boolean {
  const host = (req.hostname ?? '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Dev sign-in is offered only with DEV_LOGIN=1 and only to loopback callers; otherwise it does not exist (404). */
export function devLoginAllowed(enabled: boolean, req: Request): boolean {
  return enabled && isLoopbackCaller(req) && isLoopbackHost(req);
}

export const devLoginRefused = () => new AppError('not-found', 404, 'dev sign-in is not available here: paste a token instead');
