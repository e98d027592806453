import { ExponentialBackoff, handleType, retry } from 'cockatiel';
import type { z } from 'zod';
import { EtagMismatchError, type StateStore } from './ports.ts';

export interface ConflictRetryOptions {
  /** Give up after this many lost races; the EtagMismatchError then propagates (a 409 at the edge). */
  maxAttempts?: number;
}

/** Enough for a crowd of writers on one hot key; past it the caller is told to try again (409). */
export const DEFAULT_CONFLICT_ATTEMPTS = 20;

/**
 * The platform's one policy for lost compare-and-set races: run `attempt` again on EtagMismatchError,
 * with exponential backoff and decorrelated jitter (cockatiel: 5 ms doubling up to 250 ms), so writers
 * that collided on one key spread out instead of colliding again in lockstep. Any other error is not a
 * race and propagates at once.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, options: ConflictRetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_CONFLICT_ATTEMPTS;
  const policy = retry(handleType(EtagMismatchError), {
    maxAttempts: maxAttempts - 1,
    backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 250 }),
  });
  return policy.execute(attempt);
}

/**
 * Read-modify-write of one key with an etag compare-and-set, retried (retryOnConflict) when another
 * writer won the race. `change` gets the current value (undefined when absent) and returns the new one,
 * or undefined for "nothing to do". The first write of a key is a first-write-wins claim, so two writers
 * creating it cannot overwrite each other either.
 */
export async function updateWithEtag<T>(
  state: StateStore,
  key: string,
  schema: z.ZodType<T>,
  change: (current: T | undefined) => T | undefined,
  options: ConflictRetryOptions & { ttlSeconds?: number } = {},
): Promise<T | undefined> {
  const ttl = options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {};
  return retryOnConflict(async () => {
    const current = await state.get(key, schema);
    const next = change(current?.value);
    if (next === undefined) return current?.value;
    if (current) await state.save(key, next, { etag: current.etag, ...ttl });
    else if (!(await state.claim(key, next, ttl))) throw new EtagMismatchError(key);
    return next;
  }, options);
}
