import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import request from 'supertest';
import { CreateTaskRequest, remindNotAfterDue } from '@todo/contracts';
import { FakeSidecar, InMemoryStateStore } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

// The rule "a reminder never comes after the task is due", over generated dates, offsets and edit
// sequences: the contract accepts exactly the pairs that keep it, and no sequence of PATCHes through
// the real routes leaves a stored task that breaks it.
const TOKEN = 'app-token';
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const offset = fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:00');
/** An ISO-8601 date-time with an offset, for the instant `ms`. */
const iso = (ms: number, off: string) => {
  if (off === 'Z') return new Date(ms).toISOString();
  const sign = off[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, 23)}${off}`;
};
const dateTime = fc.tuple(instant, offset).map(([ms, off]) => ({ ms, text: iso(ms, off) }));

describe('remindAt ≤ dueAt (property-based)', () => {
  it('CreateTaskRequest accepts a pair exactly when remindAt is not after dueAt, whatever the offsets', () => {
    fc.assert(fc.property(dateTime, dateTime, (due, remind) => {
      const parsed = CreateTaskRequest.safeParse({ title: 't', dueAt: due.text, remindAt: remind.text });
      expect(parsed.success).toBe(remind.ms <= due.ms);
      if (!parsed.success) expect(parsed.error.issues[0]).toMatchObject({ path: ['remindAt'], message: 'remindAt must not be after dueAt' });
    }), { numRuns: 500 });
  });

  it('no sequence of PATCHes leaves a task whose reminder comes after it is due; a refused one is a 400 naming remindAt', async () => {
    const edit = fc.record({ dueAt: fc.option(dateTime, { nil: undefined, freq: 2 }), remindAt: fc.option(dateTime, { nil: undefined, freq: 2 }), clear: fc.constantFrom('none', 'dueAt', 'remindAt') });
    await fc.assert(fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
      const app = buildApp({ logger: createLogger('task-service', 'silent'), state: new InMemoryStateStore(), sidecar: new FakeSidecar(), appApiToken: TOKEN, clock: { now: () => new Date('2026-01-01T00:00:00Z') } });
      const headers = { 'x-user-id': 'alice', 'dapr-api-token': TOKEN };
      const created = await request(app).post('/tasks').set(headers).send({ title: 'prop' }).expect(201);
      for (const e of edits) {
        const body: Record<string, unknown> = {};
        if (e.dueAt) body.dueAt = e.dueAt.text;
        if (e.remindAt) body.remindAt = e.remindAt.text;
        if (e.clear !== 'none') body[e.clear] = null;
        if (Object.keys(body).length === 0) continue;
        const before = (await request(app).get(`/tasks/${created.body.id}`).set(headers)).body;
        const res = await request(app).patch(`/tasks/${created.body.id}`).set(headers).send(body);
        const wouldBe = { dueAt: 'dueAt' in body ? (body.dueAt as string | null) : before.dueAt, remindAt: 'remindAt' in body ? (body.remindAt as string | null) : before.remindAt };
        expect(res.status).toBe(remindNotAfterDue(wouldBe) ? 200 : 400);
        if (res.status === 400) expect(res.body.errors).toEqual([{ path: 'remindAt', message: 'remindAt must not be after dueAt' }]);
        const stored = (await request(app).get(`/tasks/${created.body.id}`).set(headers)).body;
        expect(remindNotAfterDue(stored)).toBe(true);
      }
    }), { numRuns: 60 });
  }, 60_000);
});
