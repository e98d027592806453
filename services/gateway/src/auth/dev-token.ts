import { SignJWT } from 'jose';
import { DEV_TOKEN_POLICY } from '@todo/contracts';

export interface DevTokenOptions {
  admin?: boolean;
  /** jose's time span (`12h`, `30m`) or seconds since the epoch. */
  expiresIn?: string | number;
  /** `iss` and `aud` to mint for; the development policy unless a gateway runs with its own. */
  policy?: { issuer: string; audience: string };
}

/**
 * A development token that the gateway's token policy accepts: HS256, `sub`, `exp`, issuer and audience,
 * `roles: ["admin"]` when asked. The one place tokens are minted: `make token` (tools/launcher/token.ts),
 * the test suites and the console's dev sign-in (console/dev-login.ts) all call this.
 */
export async function signDevToken(key: string | Uint8Array, userId: string, options: DevTokenOptions = {}): Promise<string> {
  const policy = options.policy ?? DEV_TOKEN_POLICY;
  return new SignJWT({ roles: options.admin ? ['admin'] : [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(policy.issuer)
    .setAudience(policy.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}
