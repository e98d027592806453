import type { SecretReader } from '@todo/dapr';
import { AppError } from '@todo/service-kit';
import type { KeyProvider } from './jwt.ts';

/**
 * Reads the signing key from the secret store on first use and keeps it. A failed read is not cached,
 * so a gateway that started before its sidecar loaded the store recovers by itself.
 */
export function signingKeyFromSecretStore(secrets: SecretReader, name: string): KeyProvider {
  let key: Promise<Uint8Array> | undefined;
  return () => {
    key ??= secrets.get(name).then(
      (value) => new TextEncoder().encode(value),
      (err) => {
        key = undefined;
        throw new AppError('auth-unavailable', 503, 'signing key is not available yet', { cause: err });
      },
    );
    return key;
  };
}
