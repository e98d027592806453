import { z } from 'zod';
import { EtagMismatchError, PagedList, retryOnConflict, updateWithEtag, type StateStore } from '@todo/dapr';
import { DeadLetter, firstSeen, seenAgain, type Arrival } from './dead-letter.ts';

/**
 * Retention: a dead letter that was replayed or discarded is kept this long for audit, then expires.
 * A pending one never expires — it waits for an operator.
 */
export const HANDLED_RETENTION_DAYS = 30;
const HANDLED_TTL_SECONDS = HANDLED_RETENTION_DAYS * 86_400;

const Ids = z.array(z.string());

/**
 * Dead letters on the `statestore` component (daprd prefixes keys with `dead-letter-service||`).
 *  - `dead-letter:<id>`  one DeadLetter. Expires HANDLED_RETENTION_DAYS after it was replayed or
 *                        discarded; a pending one stays.
 *  - `index…`            every dead letter's id in arrival order, in pages (PagedList): history with
 *                        a cursor; ids of expired records are skipped.
 *  - `pending:<topic>`   ids of the pending dead letters of one topic: the operator's work queue, read
 *                        by the default list and the pending gauge without walking the history. The
 *                        record's status is the truth; this set is repaired by every redelivery.
 * Index and set are written AFTER the record, on every delivery, so a crash in between is repaired by
 * daprd's redelivery.
 */
export class DeadLetterStore {
  private readonly index: PagedList;

  constructor(private readonly state: StateStore) {
    this.index = new PagedList(state, DeadLetterStore.indexPrefix, { pageSize: 100 });
  }

  static key = (id: string) => `dead-letter:${id}`;
  static readonly indexPrefix = 'index';
  static pendingKey = (topic: string) => `pending:${topic}`;

  async find(id: string): Promise<DeadLetter | undefined> {
    return (await this.state.get(DeadLetterStore.key(id), DeadLetter))?.value;
  }

  async findMany(ids: string[]): Promise<DeadLetter[]> {
    const found = await this.state.getMany(ids.map(DeadLetterStore.key), DeadLetter);
    return ids.flatMap((id) => found.get(DeadLetterStore.key(id))?.value ?? []);
  }

  /** Pending dead letters of the given topics, oldest first. */
  async pending(topics: readonly string[]): Promise<DeadLetter[]> {
    const sets = await this.state.getMany(topics.map(DeadLetterStore.pendingKey), Ids);
    const ids = [...new Set([...sets.values()].flatMap((s) => s.value))];
    return (await this.findMany(ids)).filter((d) => d.status === 'pending').sort(oldestFirst);
  }

  /** A page of the history (every status), oldest first; `next` null after the last one. */
  async history(cursor: string | undefined, limit: number): Promise<{ items: DeadLetter[]; next: string | null }> {
    const slice = await this.index.forward(cursor, limit);
    return { items: await this.findMany(slice.ids), next: slice.end ? null : slice.next };
  }

  /**
   * Stores a delivery: creates the record (first-write-wins, so two replicas racing on one dead letter
   * make one record) or updates the existing one with an etag compare-and-set, then makes sure it is
   * indexed (and queued, when pending). Returns whether this delivery created the record.
   */
  async record(arrival: Arrival, now: Date): Promise<{ deadLetter: DeadLetter; created: boolean }> {
    const key = DeadLetterStore.key(arrival.id);
    const result = await retryOnConflict(async () => {
      const current = await this.state.get(key, DeadLetter);
      if (!current) {
        const deadLetter = firstSeen(arrival, now);
        if (!(await this.state.claim(key, deadLetter))) throw new EtagMismatchError(key);
        return { deadLetter, created: true };
      }
      const deadLetter = seenAgain(current.value, arrival, now);
      await this.state.save(key, deadLetter, { etag: current.etag, ...this.ttlFor(deadLetter) });
      return { deadLetter, created: false };
    });
    await this.index.append(arrival.id);
    if (result.deadLetter.status === 'pending') await this.updatePending(arrival.originalTopic, arrival.id, true);
    return result;
  }

  /** Read-modify-write of one record (compare-and-set); undefined when there is no such record. */
  async update(id: string, change: (current: DeadLetter) => DeadLetter): Promise<DeadLetter | undefined> {
    const key = DeadLetterStore.key(id);
    const updated = await retryOnConflict(async () => {
      const current = await this.state.get(key, DeadLetter);
      if (!current) return undefined;
      const next = change(current.value);
      await this.state.save(key, next, { etag: current.etag, ...this.ttlFor(next) });
      return next;
    });
    if (updated) await this.updatePending(updated.originalTopic, id, updated.status === 'pending');
    return updated;
  }

  private ttlFor(d: DeadLetter) {
    return d.status === 'pending' ? {} : { ttlSeconds: HANDLED_TTL_SECONDS };
  }

  /** Idempotent set-add / set-remove (compare-and-set; the first write is a claim). */
  private async updatePending(topic: string, id: string, pending: boolean): Promise<void> {
    await updateWithEtag(this.state, DeadLetterStore.pendingKey(topic), Ids, (ids = []) => {
      if (pending) return ids.includes(id) ? undefined : [...ids, id];
      return ids.includes(id) ? ids.filter((x) => x !== id) : undefined;
    });
  }
}

const oldestFirst = (a: DeadLetter, b: DeadLetter) => a.firstSeenAt.localeCompare(b.firstSeenAt) || a.id.localeCompare(b.id);
