import { describe, expect, it } from 'vitest';
import { parseIntent } from '../src/domain/intents.ts';

// Wednesday 18 Nov 2026, 10:00 local time (dates are read in the process's time zone).
const NOW = new Date(2026, 10, 18, 10, 0);
const local = (day: number, hour: number, minute = 0, month = 10, year = 2026) => new Date(year, month, day, hour, minute).toISOString();

describe('parseIntent — creating', () => {
  it.each([
    ['add buy milk tomorrow 5pm #home !high', { title: 'buy milk', tags: ['home'], priority: 'high', dueAt: local(19, 17) }],
    ['create task call mom next monday', { title: 'call mom', tags: [], dueAt: local(23, 12) }],
    ['new task pay rent on friday #bills !low', { title: 'pay rent', tags: ['bills'], priority: 'low', dueAt: local(20, 12) }],
    ['ADD Buy Milk', { title: 'Buy Milk', tags: [] }],
    ['add: buy milk', { title: 'buy milk', tags: [] }],
    ['todo: call mom', { title: 'call mom', tags: [] }],
    ['create a task to call mom', { title: 'call mom', tags: [] }],
    ['add submit report by friday 5pm high priority', { title: 'submit report', tags: [], priority: 'high', dueAt: local(20, 17) }],
    ['add #Work #work #home standup notes', { title: 'standup notes', tags: ['work', 'home'] }],
    // Words chrono could take for dates but that belong to the title.
    ['add new york trip plan', { title: 'new york trip plan', tags: [] }],
    ['add read march issue tomorrow', { title: 'read march issue', tags: [], dueAt: local(19, 10) }],
    ['add plan a day trip', { title: 'plan a day trip', tags: [] }],
    ['add log on to the vpn', { title: 'log on to the vpn', tags: [] }],
    ['add check in', { title: 'check in', tags: [] }],
    ['add buy gift for tomorrow', { title: 'buy gift', tags: [], dueAt: local(19, 10) }],
  ])('"%s" → %o', (message, task) => {
    expect(parseIntent(message, NOW)).toEqual({ kind: 'create', reminder: false, task });
  });

  it.each([
    ['remind me to stretch in 10 minutes', { title: 'stretch', tags: [], dueAt: local(18, 10, 10), remindAt: local(18, 10, 10) }],
    ['remind me to call bob tomorrow at 9am', { title: 'call bob', tags: [], dueAt: local(19, 9), remindAt: local(19, 9) }],
    ['Remind me in 10 minutes to stretch.', { title: 'stretch', tags: [], dueAt: local(18, 10, 10), remindAt: local(18, 10, 10) }],
    ['set a reminder for 5pm to call bob', { title: 'call bob', tags: [], dueAt: local(18, 17), remindAt: local(18, 17) }],
  ])('"%s" → a reminder %o', (message, task) => {
    expect(parseIntent(message, NOW)).toEqual({ kind: 'create', reminder: true, task });
  });

  it.each([
    ['water plants every monday', 'water plants', { frequency: 'weekly', interval: 1 }, local(23, 12)],
    ['standup every day at 9am', 'standup', { frequency: 'daily', interval: 1 }, local(19, 9)],
    ['pay rent every month', 'pay rent', { frequency: 'monthly', interval: 1 }, local(18, 10, 0, 11)],
    ['review every 2 weeks', 'review', { frequency: 'weekly', interval: 2 }, local(2, 10, 0, 11)],
    ['yoga every other wednesday at 7pm', 'yoga', { frequency: 'weekly', interval: 2 }, local(18, 19)],
    ['renew passport every year', 'renew passport', { frequency: 'monthly', interval: 12 }, local(18, 10, 0, 10, 2027)],
    ['add water plants each Monday at 7am', 'water plants', { frequency: 'weekly', interval: 1 }, local(23, 7)],
  ])('"%s" → a repeating task due at the next occurrence', (message, title, recurrence, dueAt) => {
    expect(parseIntent(message, NOW)).toEqual({ kind: 'create', reminder: false, task: { title, tags: [], recurrence, dueAt } });
  });

  it('"remind me to take pills every day at 8am" → a daily reminder at the next 8am', () => {
    expect(parseIntent('remind me to take pills every day at 8am', NOW)).toEqual({
      kind: 'create',
      reminder: true,
      task: { title: 'take pills', tags: [], dueAt: local(19, 8), remindAt: local(19, 8), recurrence: { frequency: 'daily', interval: 1 } },
    });
  });

  it.each([
    ['add', /What should the task be called/],
    ['every day', /What should the task be called/],
    ['remind me to stretch', /When should I remind you/],
    ['remind me to stretch today at 8am', /already passed/],
    ['gym every mon and thu', /one weekday/],
    ['standup every weekday', /one weekday/],
    ['add x every 400 days', /at most every 365/],
    [`add x #${'a'.repeat(31)}`, /at most 30 characters/],
    [`add x ${Array.from({ length: 11 }, (_, i) => `#t${i}`).join(' ')}`, /at most 10 tags/],
    [`add ${'x'.repeat(201)}`, /at most 200 characters/],
  ])('"%s" → help saying what is missing', (message, problem) => {
    const intent = parseIntent(message, NOW);
    expect(intent.kind).toBe('help');
    expect(intent.kind === 'help' && intent.problem).toMatch(problem);
  });
});

describe('parseIntent — listing', () => {
  it.each([
    ['list', { tags: [] }],
    ['show my tasks', { tags: [] }],
    ['my tasks', { tags: [] }],
    ['list open tasks', { tags: [], status: 'open' }],
    ['list completed', { tags: [], status: 'completed' }],
    ['completed tasks', { tags: [], status: 'completed' }],
    ['list #Home', { tags: ['home'] }],
    ['show high priority tasks', { tags: [], priority: 'high' }],
    ['show high-priority open tasks #work', { tags: ['work'], priority: 'high', status: 'open' }],
    ["what's due?", { tags: [], status: 'open', due: { label: 'with a due date' } }],
    ['What’s due today?', { tags: [], status: 'open', due: { label: 'due today', before: local(19, 0) } }],
    ['what is due tomorrow', { tags: [], status: 'open', due: { label: 'due tomorrow', after: local(19, 0), before: local(20, 0) } }],
    ['list overdue tasks', { tags: [], status: 'open', due: { label: 'overdue', before: NOW.toISOString() } }],
  ])('"%s" → list %o', (message, filter) => {
    expect(parseIntent(message, NOW)).toEqual({ kind: 'list', filter });
  });
});

describe('parseIntent — completing and deleting', () => {
  it.each([
    ['complete buy milk', 'complete', 'buy milk'],
    ['done with buy milk', 'complete', 'buy milk'],
    ['mark call mom as done', 'complete', 'call mom'],
    ['mark call mom complete', 'complete', 'call mom'],
    ['finish the report', 'complete', 'report'],
    ['tick off buy milk', 'complete', 'buy milk'],
    ['I finished buy milk', 'complete', 'buy milk'],
    ['buy milk is done', 'complete', 'buy milk'],
    ['complete task "Buy milk"', 'complete', 'Buy milk'],
    ['delete buy milk', 'delete', 'buy milk'],
    ['remove call mom', 'delete', 'call mom'],
    ['delete the buy milk task', 'delete', 'buy milk'],
    ['get rid of old notes from my list', 'delete', 'old notes'],
  ])('"%s" → %s "%s"', (message, kind, query) => {
    expect(parseIntent(message, NOW)).toEqual({ kind, query });
  });
});

describe('parseIntent — anything else', () => {
  it.each(['', '   ', '?!', 'hello', 'show me a joke', 'what', 'done', 'high', 'new york trip', 'buy milk tomorrow'])(
    '"%s" → help',
    (message) => {
      expect(parseIntent(message, NOW)).toEqual({ kind: 'help' });
    },
  );
});
