// Development secrets, generated once per checkout into the git-ignored run dir, never committed:
//  - DAPR_API_TOKEN (apps → sidecar) and APP_API_TOKEN (sidecar → app),
//  - the JWT signing key, in the JSON file the `secretstore` component (secretstores.local.file) reads.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  daprApiToken: string;
  appApiToken: string;
  jwtSigningKey: string;
}

export const JWT_SECRET_NAME = 'jwt-signing-key';

export function ensureDevSecrets(runDir: string): DevSecrets {
  mkdirSync(runDir, { recursive: true });
  const tokensFile = path.join(runDir, 'dev-tokens.json');
  const storeFile = path.join(runDir, 'secrets.json');
  let secrets: DevSecrets;
  if (existsSync(tokensFile)) {
    secrets = JSON.parse(readFileSync(tokensFile, 'utf8')) as DevSecrets;
  } else {
    const random = () => randomBytes(32).toString('base64url');
    secrets = { daprApiToken: random(), appApiToken: random(), jwtSigningKey: random() };
    writeFileSync(tokensFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  writeFileSync(storeFile, JSON.stringify({ [JWT_SECRET_NAME]: secrets.jwtSigningKey }), { mode: 0o600 });
  return secrets;
}
