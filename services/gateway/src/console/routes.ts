import { Router } from 'express';
import { AppError } from '@todo/service-kit';
import type { KeyProvider, TokenPolicy } from '../auth/jwt.ts';
import { signDevToken } from '../auth/dev-token.ts';
import { consoleAssets } from './assets.ts';
import { DEV_TOKEN_TTL_SECONDS, DevLoginRequest, devLoginAllowed, devLoginRefused } from './dev-login.ts';
import { CONSOLE_ASSET_PATH, CONSOLE_CSP, DEV_TOKEN_PATH, consolePage } from './page.ts';

export interface ConsoleDeps {
  signingKey: KeyProvider;
  tokenPolicy: TokenPolicy;
  /** DEV_LOGIN=1: the console may mint dev tokens for loopback callers (make run sets it; never in a cluster). */
  devLogin: boolean;
}

/**
 * The web console (services/gateway/web): `/` is its page, `/console/assets/*` its files and, in
 * development, `/console/dev-token` its sign-in. It is a client of the public API like any other: it
 * holds a JWT and calls /api with it; nothing here reaches a service.
 */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  const assets = consoleAssets();

  router.get('/', (req, res) => {
    res
      .set('content-security-policy', CONSOLE_CSP)
      .set('cache-control', 'no-cache')
      .set('referrer-policy', 'no-referrer')
      .set('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(consolePage({ devLogin: devLoginAllowed(deps.devLogin, req) }));
  });

  router.get(`${CONSOLE_ASSET_PATH}/:asset`, (req, res) => {
    const asset = assets.get(req.params.asset);
    if (!asset) throw new AppError('not-found', 404, 'no such file');
    // no-cache + the file's ETag: a rebuilt console is picked up at once, an unchanged one costs a 304
    // (express answers it from the ETag set here, without hashing the body again).
    res.set('cache-control', 'no-cache').set('x-content-type-options', 'nosniff').set('etag', asset.etag).type(asset.type).send(asset.body);
  });

  // Development only: a token for the user the person picked, signed with the gateway's own key and policy.
  router.post(DEV_TOKEN_PATH, async (req, res) => {
    if (!devLoginAllowed(deps.devLogin, req)) throw devLoginRefused();
    const body = DevLoginRequest.parse(req.body ?? {});
    const expiresAt = Math.floor(Date.now() / 1000) + DEV_TOKEN_TTL_SECONDS;
    const token = await signDevToken(await deps.signingKey(), body.userId, {
      admin: body.admin,
      expiresIn: expiresAt,
      policy: { issuer: deps.tokenPolicy.issuer, audience: deps.tokenPolicy.audience },
    });
    req.log.info({ userId: body.userId, admin: body.admin }, 'console dev sign-in');
    res.set('cache-control', 'no-store').json({ token, userId: body.userId, roles: body.admin ? ['admin'] : [], expiresAt: new Date(expiresAt * 1000).toISOString() });
  });

  return router;
}
