import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CreateTaskRequest } from '@todo/contracts';
import { parseIntent } from '../src/domain/intents.ts';

// Whatever a user types, parsing answers with an intent and never throws (a throw would be a 500).
const KINDS = ['create', 'list', 'complete', 'delete', 'help'];
const fragment = fc.oneof(
  fc.constantFrom('add', 'remind me to', 'new task', 'every', 'monday', 'tomorrow', 'at 5pm', 'in 10 minutes', 'next week', 'list',
    'complete', 'delete', 'done', '#home', '#', '!high', '!', 'until', 'daily', 'every 3 days', 'on the 31st', '2030-02-30', '25:99', '   '),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const message = fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' ')));
const now = fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true });

describe('parseIntent (property-based)', () => {
  it('never throws, for any text and any clock, and answers a known intent', () => {
    fc.assert(fc.property(message, now, (text, at) => {
      const intent = parseIntent(text, at);
      expect(KINDS).toContain(intent.kind);
      // What it would create passes task-service's own contract (else the user would get an error).
      if (intent.kind === 'create') expect(CreateTaskRequest.safeParse(intent.task).error?.issues ?? []).toEqual([]);
    }), { numRuns: 2_000 });
  });
});
