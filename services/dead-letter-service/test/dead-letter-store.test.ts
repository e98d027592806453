import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { InMemoryStateStore } from '@todo/dapr/fakes';
import { arrivalFrom } from '../src/domain/dead-letter.ts';
import { DeadLetterStore } from '../src/domain/dead-letter-store.ts';
import { cloudEvent, indexed, taskCreated } from './support.ts';

/** Yields to the event loop after every read, so concurrent writers really interleave (as replicas do). */
class InterleavingStateStore extends InMemoryStateStore {
  override async get<T>(key: string, schema: z.ZodType<T>) {
    const found = await super.get(key, schema);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    return found;
  }
}

const now = new Date('2026-11-22T12:00:00.000Z');

describe('DeadLetterStore under concurrent deliveries', () => {
  it('when new dead letters race, then the index keeps every id (etag compare-and-set, claim on first write)', async () => {
    const state = new InterleavingStateStore();
    const store = new DeadLetterStore(state);
    const arrivals = Array.from({ length: 12 }, (_, i) => arrivalFrom('task-events', cloudEvent(taskCreated(`evt-${i}`), { id: `ce-${i}` }), undefined));
    const results = await Promise.all(arrivals.map((a) => store.record(a, now)));

    expect(results.every((r) => r.created)).toBe(true);
    expect([...indexed(state)].sort()).toEqual(arrivals.map((a) => a.id).sort());
    expect((await store.history(undefined, 100)).items.length).toBe(12);
    expect((await store.pending(['task-events'])).length).toBe(12);
  });

  it('when one dead letter is delivered to several replicas at once, then one record counts every delivery', async () => {
    const state = new InterleavingStateStore();
    const store = new DeadLetterStore(state);
    const arrival = arrivalFrom('reminders', cloudEvent(taskCreated('evt-same')), undefined);
    const results = await Promise.all(Array.from({ length: 6 }, () => store.record(arrival, now)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await store.history(undefined, 100)).items).toEqual([expect.objectContaining({ id: arrival.id, deliveries: 6 })]);
  });
});
