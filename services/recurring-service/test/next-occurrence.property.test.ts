import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextOccurrence } from '../src/domain/next-occurrence.ts';

// Properties of the recurrence rule (rrule, UTC) over generated anchors, intervals and end dates.
const DAY = 86_400_000;
// Whole seconds between 1971 and 2099: rrule works at second precision.
const anchor = fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2099, 0, 1) / 1000 }).map((s) => new Date(s * 1000));
const interval = fc.integer({ min: 1, max: 365 });

describe('nextOccurrence (property-based)', () => {
  it('daily and weekly: exactly interval × 1 day / 7 days later (UTC has no DST)', () => {
    fc.assert(fc.property(anchor, interval, fc.constantFrom('daily' as const, 'weekly' as const), (from, n, frequency) => {
      const next = nextOccurrence(from, { frequency, interval: n });
      expect(next).not.toBeNull();
      expect(next!.getTime() - from.getTime()).toBe(n * (frequency === 'daily' ? 1 : 7) * DAY);
    }), { numRuns: 300 });
  });

  it('monthly: a later month, a whole number of intervals away, same UTC day of month and time of day', () => {
    fc.assert(fc.property(anchor, fc.integer({ min: 1, max: 24 }), (from, n) => {
      const next = nextOccurrence(from, { frequency: 'monthly', interval: n });
      expect(next).not.toBeNull();
      const months = (next!.getUTCFullYear() - from.getUTCFullYear()) * 12 + next!.getUTCMonth() - from.getUTCMonth();
      expect(months).toBeGreaterThanOrEqual(n);
      expect(months % n).toBe(0);
      expect(next!.getUTCDate()).toBe(from.getUTCDate()); // the 31st skips months without one
      expect(next!.toISOString().slice(10)).toBe(from.toISOString().slice(10));
    }), { numRuns: 300 });
  });

  it('never at or before the anchor, and never past `until`', () => {
    fc.assert(fc.property(anchor, interval, fc.constantFrom('daily' as const, 'weekly' as const, 'monthly' as const), fc.integer({ min: -400, max: 4000 }), (from, n, frequency, untilDays) => {
      const until = new Date(from.getTime() + untilDays * DAY).toISOString();
      const next = nextOccurrence(from, { frequency, interval: n, until });
      if (next === null) return;
      expect(next.getTime()).toBeGreaterThan(from.getTime());
      expect(next.getTime()).toBeLessThanOrEqual(Date.parse(until));
    }), { numRuns: 300 });
  });
});
