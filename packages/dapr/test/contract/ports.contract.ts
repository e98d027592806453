// One behaviour for every implementation of the ports: the in-memory fakes (unit suite,
// packages/dapr/test/fakes.contract.test.ts) and the Dapr adapter against a real daprd + Redis + broker
// (integration suite, tests/integration/ports-contract.test.ts). A fake that is kinder than Redis would
// let a unit test pass that production fails — so the fake must pass exactly these tests too.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TOPICS, type TaskEvent } from '@todo/contracts';
import {
  EtagMismatchError,
  InvalidEventError,
  SidecarError,
  StoredDataError,
  type EventBus,
  type OutboxStateStore,
  type ServiceInvoker,
  type StateStore,
} from '../../src/index.ts';

export interface PortsUnderTest {
  /** A plain state store (no outbox). */
  state: StateStore;
  /** A state store whose outbox publishes to task-events. */
  outboxState: OutboxStateStore;
  events: EventBus;
  invoker: ServiceInvoker;
  /** Resolves true once an event with this id is on `topic` (read from the broker itself for the real thing). */
  onTopic(topic: string, eventId: string): Promise<boolean>;
  /** An app-id that answers GET `healthz` with 200 and an unknown path with 404. */
  runningApp: string;
}

const Value = z.object({ n: z.number() });

/** A task event for a user no test otherwise uses: consumers that receive it do nothing visible. */
function contractEvent(): TaskEvent {
  const at = new Date().toISOString();
  const id = randomUUID();
  return {
    id, type: 'task.updated', version: 2, userId: `contract-${id}`, occurredAt: at, correlationId: id, changed: ['title'],
    task: {
      id: `contract-task-${id}`, userId: `contract-${id}`, title: 'contract test', description: null, priority: 'low', tags: [], dueAt: null,
      remindAt: null, recurrence: null, status: 'open', createdAt: at, updatedAt: at, completedAt: null, seriesId: null, version: 2,
    },
  };
}

export function describePortContracts(name: string, ports: () => PortsUnderTest) {
  const key = () => `contract:${randomUUID()}`;

  describe(`StateStore contract (${name})`, () => {
    it('when a key was never written, then get answers undefined; after save, the value with an etag', async () => {
      const { state } = ports();
      const k = key();
      expect(await state.get(k, Value)).toBeUndefined();
      await state.save(k, { n: 1 });
      const got = await state.get(k, Value);
      expect(got?.value).toEqual({ n: 1 });
      expect(got?.etag).toMatch(/.+/);
    });

    it('when saving with a stale etag, then EtagMismatchError and the value stays; with the current one, it is replaced', async () => {
      const { state } = ports();
      const k = key();
      await state.save(k, { n: 1 });
      const first = (await state.get(k, Value))!;
      await state.save(k, { n: 2 }, { etag: first.etag });
      await expect(state.save(k, { n: 3 }, { etag: first.etag })).rejects.toBeInstanceOf(EtagMismatchError);
      const now = (await state.get(k, Value))!;
      expect(now.value).toEqual({ n: 2 });
      expect(now.etag).not.toBe(first.etag);
    });

    it('when two claims race for one key, then exactly one wins and the first value stays', async () => {
      const { state } = ports();
      const k = key();
      const results = await Promise.all([state.claim(k, { n: 1 }), state.claim(k, { n: 2 })]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await state.claim(k, { n: 3 })).toBe(false);
      expect([1, 2]).toContain((await state.get(k, Value))?.value.n);
    });

    it('when deleting with a stale etag, then EtagMismatchError; a delete of a missing key without etag is fine', async () => {
      const { state } = ports();
      const k = key();
      await state.save(k, { n: 1 });
      const first = (await state.get(k, Value))!;
      await state.save(k, { n: 2 }, { etag: first.etag });
      await expect(state.delete(k, { etag: first.etag })).rejects.toBeInstanceOf(EtagMismatchError);
      await state.delete(k);
      expect(await state.get(k, Value)).toBeUndefined();
      await expect(state.delete(key())).resolves.toBeUndefined();
    });

    it('when reading many keys, then only the ones that exist come back', async () => {
      const { state } = ports();
      const [a, b, c] = [key(), key(), key()];
      await state.save(a, { n: 1 });
      await state.save(c, { n: 3 });
      const found = await state.getMany([a, b, c], Value);
      expect([...found.keys()].sort()).toEqual([a, c].sort());
      expect(found.get(c)?.value).toEqual({ n: 3 });
    });

    it('when a stored value does not match the schema it is read with, then StoredDataError (never a cast)', async () => {
      const { state } = ports();
      const k = key();
      await state.save(k, { n: 'one' });
      await expect(state.get(k, Value)).rejects.toBeInstanceOf(StoredDataError);
    });

    it('when one operation of a transaction fails its etag check, then the others still apply (no rollback) and EtagMismatchError is thrown', async () => {
      const { state } = ports();
      const [a, b] = [key(), key()];
      await state.save(a, { n: 1 });
      const stale = (await state.get(a, Value))!.etag;
      await state.save(a, { n: 2 }, { etag: stale });
      await expect(
        state.transact([
          { op: 'upsert', key: a, value: { n: 99 }, etag: stale },
          { op: 'upsert', key: b, value: { n: 5 } },
        ]),
      ).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await state.get(a, Value))?.value).toEqual({ n: 2 });
      expect((await state.get(b, Value))?.value).toEqual({ n: 5 }); // applied although the transaction "failed"
    });

    it('when every operation of a transaction passes, then upserts and deletes all apply', async () => {
      const { state } = ports();
      const [a, b] = [key(), key()];
      await state.save(a, { n: 1 });
      const etag = (await state.get(a, Value))!.etag;
      await state.transact([
        { op: 'delete', key: a, etag },
        { op: 'upsert', key: b, value: { n: 2 } },
      ]);
      expect(await state.get(a, Value)).toBeUndefined();
      expect((await state.get(b, Value))?.value).toEqual({ n: 2 });
    });
  });

  describe(`OutboxStateStore contract (${name})`, () => {
    it('when the transaction commits, then the state is written and the event published', async () => {
      const { outboxState, onTopic } = ports();
      const k = key();
      const event = contractEvent();
      await outboxState.commitWithEvent([{ op: 'upsert', key: k, value: { n: 1 } }], k, event);
      expect((await outboxState.get(k, Value))?.value).toEqual({ n: 1 });
      expect(await onTopic(TOPICS.taskEvents, event.id)).toBe(true);
    });

    it('when the upsert fails its etag check, then EtagMismatchError — and the event is published anyway (the outbox marker has no etag)', async () => {
      const { outboxState, onTopic } = ports();
      const k = key();
      await outboxState.save(k, { n: 1 });
      const stale = (await outboxState.get(k, Value))!.etag;
      await outboxState.save(k, { n: 2 }, { etag: stale });
      const event = contractEvent();
      await expect(outboxState.commitWithEvent([{ op: 'upsert', key: k, value: { n: 3 }, etag: stale }], k, event)).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await outboxState.get(k, Value))?.value).toEqual({ n: 2 });
      expect(await onTopic(TOPICS.taskEvents, event.id)).toBe(true);
    });

    it('when the event breaks its topic contract, then InvalidEventError and nothing is written', async () => {
      const { outboxState } = ports();
      const k = key();
      const bad = { ...contractEvent(), version: 7 } as unknown as TaskEvent;
      await expect(outboxState.commitWithEvent([{ op: 'upsert', key: k, value: { n: 1 } }], k, bad)).rejects.toBeInstanceOf(InvalidEventError);
      expect(await outboxState.get(k, Value)).toBeUndefined();
    });
  });

  describe(`EventBus contract (${name})`, () => {
    it('when a valid event is published, then it is on the topic', async () => {
      const { events, onTopic } = ports();
      const event = contractEvent();
      await events.publish(TOPICS.taskEvents, event);
      expect(await onTopic(TOPICS.taskEvents, event.id)).toBe(true);
    });

    it('when an event breaks its topic contract, then InvalidEventError and nothing is sent', async () => {
      const { events, onTopic } = ports();
      const event = { ...contractEvent(), occurredAt: 'yesterday' } as unknown as TaskEvent;
      await expect(events.publish(TOPICS.taskEvents, event)).rejects.toBeInstanceOf(InvalidEventError);
      expect(await onTopic(TOPICS.taskEvents, event.id)).toBe(false);
    });

    it('when republishing an older version consumers still accept, then it goes out unchanged; garbage is refused', async () => {
      const { events, onTopic } = ports();
      const { task, changed: _changed, ...v2 } = contractEvent() as TaskEvent & { changed: string[] };
      const { recurrence: _r, seriesId: _s, ...taskV1 } = task;
      const v1 = { ...v2, version: 1, task: taskV1 };
      await events.republish(TOPICS.taskEvents, v1);
      expect(await onTopic(TOPICS.taskEvents, v1.id)).toBe(true);
      await expect(events.republish(TOPICS.taskEvents, { id: 'x', type: 'task.created' })).rejects.toBeInstanceOf(InvalidEventError);
    });
  });

  describe(`ServiceInvoker contract (${name})`, () => {
    it('when the app answers, then its status comes back as it is — a 4xx is an answer, not an error', async () => {
      const { invoker, runningApp } = ports();
      expect((await invoker.invoke(runningApp, { method: 'GET', path: 'healthz' })).status).toBe(200);
      expect((await invoker.invoke(runningApp, { method: 'GET', path: 'no-such-route' })).status).toBe(404);
    });

    it('when the target app does not exist or is not running, then SidecarError', async () => {
      const { invoker } = ports();
      await expect(invoker.invoke('no-such-app', { method: 'POST', path: 'x', body: {} })).rejects.toBeInstanceOf(SidecarError);
    });
  });
}
