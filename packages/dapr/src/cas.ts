import { EtagMismatchError, type StateStore } from './ports.ts';

export interface CasOptions {
  /** Give up after this many lost races (then the EtagMismatchError propagates). */
  maxAttempts?: number;
}

/**
 * Read-modify-write of one key with an etag compare-and-set, retried when another writer won the race.
 * `change` gets the current value (undefined when absent) and returns the new one, or undefined for
 * "nothing to do". Lost races back off with jitter (up to ~50 ms × attempt), so a crowd of writers on
 * one hot key spreads out instead of colliding again in lockstep. The first write of a key is a
 * first-write-wins claim, so two writers creating it cannot overwrite each other either.
 */
export async function updateWithEtag<T>(
  state: StateStore,
  key: string,
  change: (current: T | undefined) => T | undefined,
  options: CasOptions = {},
): Promise<T | undefined> {
  const maxAttempts = options.maxAttempts ?? 50;
  for (let attempt = 1; ; attempt++) {
    const current = await state.get<T>(key);
    const next = change(current?.value);
    if (next === undefined) return current?.value;
    try {
      if (current) await state.save(key, next, { etag: current.etag });
      else if (!(await state.claim(key, next))) throw new EtagMismatchError(key);
      return next;
    } catch (err) {
      if (!(err instanceof EtagMismatchError) || attempt >= maxAttempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 50 * Math.min(attempt, 10)));
    }
  }
}
