import { describe, expect, it } from 'vitest';
import type { Task } from '../src/api/types.ts';
import { defaultFilter, isOverdue, matchesSearch, taskQuery } from '../src/tasks/filter.ts';

const task = (over: Partial<Task>): Task => ({
  id: 'i', userId: 'u', title: 'Buy milk', description: 'semi-skimmed', priority: 'medium', tags: ['home'], dueAt: null, remindAt: null,
  recurrence: null, status: 'open', createdAt: '', updatedAt: '', completedAt: null, seriesId: null, version: 1, ...over,
});

describe('taskQuery', () => {
  it('when the filter is the default, then open tasks, one page', () => {
    expect(taskQuery(defaultFilter())).toBe('?status=open&limit=50');
  });

  it('when every API filter is set, then each is in the query (tag without #) with the cursor', () => {
    expect(taskQuery({ status: 'completed', priority: 'high', tag: ' #home ', search: 'ignored' }, 'abc_-1')).toBe('?status=completed&priority=high&tag=home&limit=50&cursor=abc_-1');
  });

  it('when status is "all", then no status is sent', () => {
    expect(taskQuery({ ...defaultFilter(), status: '' })).toBe('?limit=50');
  });
});

describe('matchesSearch', () => {
  it('when every word is in the title, description or tags, then it matches (any case)', () => {
    expect(matchesSearch(task({}), 'MILK skimmed')).toBe(true);
    expect(matchesSearch(task({}), '#home')).toBe(true);
    expect(matchesSearch(task({}), 'milk bread')).toBe(false);
    expect(matchesSearch(task({}), '   ')).toBe(true);
  });
});

describe('isOverdue', () => {
  const now = new Date('2030-01-02T00:00:00Z');
  it('when an open task was due before now, then it is overdue; completed or undated ones never are', () => {
    expect(isOverdue(task({ dueAt: '2030-01-01T00:00:00Z' }), now)).toBe(true);
    expect(isOverdue(task({ dueAt: '2030-01-03T00:00:00Z' }), now)).toBe(false);
    expect(isOverdue(task({ dueAt: '2030-01-01T00:00:00Z', status: 'completed' }), now)).toBe(false);
    expect(isOverdue(task({}), now)).toBe(false);
  });
});
