import rrulePkg from 'rrule';
import type { Recurrence } from '@todo/contracts';

// rrule ships CommonJS with a default export under ESM.
const { RRule } = rrulePkg as unknown as typeof import('rrule');

const FREQ = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY } as const;

/**
 * The first occurrence strictly after `from` of the rule anchored at `from`, or null past `until`.
 * Computed by the rrule library (RFC 5545) in UTC: the platform has no per-user time zone, so "daily"
 * means every 24 h of UTC and "monthly" keeps the UTC day of month (rrule skips months without it,
 * e.g. the 31st).
 */
export function nextOccurrence(from: Date, recurrence: Pick<Recurrence, 'frequency' | 'interval' | 'until'>): Date | null {
  const rule = new RRule({
    freq: FREQ[recurrence.frequency],
    interval: recurrence.interval ?? 1,
    dtstart: from,
    ...(recurrence.until ? { until: new Date(recurrence.until) } : {}),
  });
  return rule.after(from, false);
}
