// Prints a development JWT signed with this checkout's key: `make token USER=alice [ADMIN=1]`.
import path from 'node:path';
import { SignJWT } from 'jose';
import { DEV_TOKEN_POLICY } from '@todo/contracts';
import { ensureDevSecrets } from './secrets.ts';

/** A token the gateway's default (development) policy accepts: HS256, sub, exp, dev issuer and audience. */
export async function signDevToken(key: string, userId: string, options: { admin?: boolean; expiresIn?: string } = {}) {
  return new SignJWT({ roles: options.admin ? ['admin'] : [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(DEV_TOKEN_POLICY.issuer)
    .setAudience(DEV_TOKEN_POLICY.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(key));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Only the explicit argument counts: make passes USER through from the login environment, so
  // `make token` without USER= would otherwise mint a token for whoever is logged in (root).
  const user = process.env.TOKEN_USER || process.argv[2];
  if (!user) {
    process.stderr.write('usage: make token USER=<user-id> [ADMIN=1]\n');
    process.exit(2);
  }
  const runDir = process.env.RUN_DIR ?? path.resolve(import.meta.dirname, '../../.run');
  const { jwtSigningKey } = ensureDevSecrets(runDir);
  process.stdout.write(`${await signDevToken(jwtSigningKey, user, { admin: process.env.ADMIN === '1' })}\n`);
}
