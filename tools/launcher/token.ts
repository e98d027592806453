// Prints a development JWT signed with this checkout's key: `make token USER=alice [ADMIN=1]`.
import path from 'node:path';
import { signDevToken } from '../../services/gateway/src/auth/dev-token.ts';
import { ensureDevSecrets } from './secrets.ts';

// Minting lives with the gateway, whose policy the token must satisfy (its console signs in with it too).
export { signDevToken };

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
