import { EtagMismatchError, updateWithEtag, type StateStore } from '@todo/dapr';
import { firstSeen, seenAgain, type Arrival, type DeadLetter } from './dead-letter.ts';

/** Bounds every etag loop: past this many lost races the caller fails and is retried later. */
const MAX_ATTEMPTS = 10;

/**
 * After a lost race, wait a little, randomly, before re-reading: replicas that collided on the index
 * then spread out instead of colliding again in lockstep.
 */
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/**
 * Dead letters on the `statestore` component (daprd prefixes keys with `dead-letter-service||`).
 *  - `dead-letter:<id>`  one DeadLetter; kept after replay or discard, for audit.
 *  - `index`             ids of every dead letter, for listing. Written AFTER the record, on every
 *                        delivery, so a crash in between is repaired by daprd's redelivery.
 */
export class DeadLetterStore {
  constructor(private readonly state: StateStore) {}

  static key = (id: string) => `dead-letter:${id}`;
  static readonly indexKey = 'index';

  async find(id: string): Promise<DeadLetter | undefined> {
    return (await this.state.get<DeadLetter>(DeadLetterStore.key(id)))?.value;
  }

  async all(): Promise<DeadLetter[]> {
    const ids = (await this.state.get<string[]>(DeadLetterStore.indexKey))?.value ?? [];
    const found = await this.state.getMany<DeadLetter>(ids.map(DeadLetterStore.key));
    return [...found.values()].map((v) => v.value);
  }

  /**
   * Stores a delivery: creates the record (first-write-wins, so two replicas racing on one dead letter
   * make one record) or updates the existing one with an etag compare-and-set, then makes sure the id
   * is indexed. Returns whether this delivery created the record.
   */
  async record(arrival: Arrival, now: Date): Promise<{ deadLetter: DeadLetter; created: boolean }> {
    const key = DeadLetterStore.key(arrival.id);
    for (let attempt = 1; ; attempt++) {
      const current = await this.state.get<DeadLetter>(key);
      let result: { deadLetter: DeadLetter; created: boolean } | undefined;
      if (!current) {
        const deadLetter = firstSeen(arrival, now);
        if (await this.state.claim(key, deadLetter)) result = { deadLetter, created: true };
      } else {
        const deadLetter = seenAgain(current.value, arrival, now);
        if (await this.saveIfUnchanged(key, deadLetter, current.etag)) result = { deadLetter, created: false };
      }
      if (result) {
        await this.addToIndex(arrival.id);
        return result;
      }
      if (attempt >= MAX_ATTEMPTS) throw new EtagMismatchError(key);
      await backOff(attempt);
    }
  }

  /** Read-modify-write of one record (compare-and-set); undefined when there is no such record. */
  async update(id: string, change: (current: DeadLetter) => DeadLetter): Promise<DeadLetter | undefined> {
    return updateWithEtag<DeadLetter>(this.state, DeadLetterStore.key(id), (current) => (current ? change(current) : undefined), { maxAttempts: MAX_ATTEMPTS });
  }

  /** Idempotent set-add (compare-and-set; the first write is a claim), so no concurrent id is lost. */
  private async addToIndex(id: string): Promise<void> {
    await updateWithEtag<string[]>(this.state, DeadLetterStore.indexKey, (ids = []) => (ids.includes(id) ? undefined : [...ids, id]), { maxAttempts: MAX_ATTEMPTS });
  }

  private async saveIfUnchanged(key: string, value: unknown, etag: string): Promise<boolean> {
    try {
      await this.state.save(key, value, { etag });
      return true;
    } catch (err) {
      if (err instanceof EtagMismatchError) return false;
      throw err;
    }
  }
}
