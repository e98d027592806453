import { describe, expect, it } from 'vitest';
import * as contracts from '@todo/contracts';
import { DEAD_LETTER_STATUSES, FREQUENCIES, PRIORITIES, TASK_STATUSES } from '../src/constants.ts';
import { degradedParts } from '../src/dashboard.ts';
import { describeRecurrence, relativeTime } from '../src/format.ts';
import { parseRoute } from '../src/route.ts';

describe('constants', () => {
  it('when the contracts change an enumeration, then the console\'s copy fails here', () => {
    expect(PRIORITIES).toEqual(contracts.PRIORITIES);
    expect(FREQUENCIES).toEqual(contracts.FREQUENCIES);
    expect(TASK_STATUSES).toEqual(contracts.TASK_STATUSES);
    expect(DEAD_LETTER_STATUSES).toEqual(contracts.DEAD_LETTER_STATUSES);
  });
});

describe('parseRoute', () => {
  it('when the hash names a page, then that page; unknown or empty → tasks', () => {
    expect(parseRoute('#/chat', false)).toBe('chat');
    expect(parseRoute('#/dashboard?x=1', false)).toBe('dashboard');
    expect(parseRoute('', false)).toBe('tasks');
    expect(parseRoute('#/nope', false)).toBe('tasks');
  });

  it('when a non-admin opens the dead letters, then tasks; an admin gets them', () => {
    expect(parseRoute('#/dead-letters', false)).toBe('tasks');
    expect(parseRoute('#/dead-letters', true)).toBe('dead-letters');
  });
});

describe('degradedParts', () => {
  it('when notification- and insights-service did not answer, then their parts are marked with them', () => {
    const parts = degradedParts({ tasks: { open: 1, completed: 0, overdue: 0, dueToday: 0 }, upcomingReminders: [], recentNotifications: null, insights: null, degraded: ['notification-service', 'insights-service'] });
    expect(parts).toEqual({ recentNotifications: 'notification-service', insights: 'insights-service' });
  });

  it('when a part is null and degraded names nobody, then the part is still marked, with its own service', () => {
    expect(degradedParts({ tasks: { open: 0, completed: 0, overdue: 0, dueToday: 0 }, upcomingReminders: [], recentNotifications: [], insights: null as never, degraded: [] })).toEqual({ insights: 'insights-service' });
  });
});

describe('format', () => {
  const now = new Date('2030-01-01T12:00:00Z');
  it('when a time is near, then it reads in coarse words', () => {
    expect(relativeTime('2030-01-01T12:00:02Z', now)).toBe('just now');
    expect(relativeTime('2030-01-01T12:05:00Z', now)).toBe('in 5 min');
    expect(relativeTime('2030-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2030-01-04T12:00:00Z', now)).toBe('in 3 days');
  });

  it('when a task repeats, then the rule reads as words', () => {
    expect(describeRecurrence({ frequency: 'weekly', interval: 1 })).toBe('every week');
    expect(describeRecurrence({ frequency: 'daily', interval: 3 })).toBe('every 3 days');
    expect(describeRecurrence(null)).toBe('');
  });
});
