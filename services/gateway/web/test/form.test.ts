import { describe, expect, it } from 'vitest';
import type { Task } from '../src/api/types.ts';
import { createBody, emptyForm, formFromTask, fromLocalInput, parseTags, patchBody, toLocalInput, untilFromDate, validateForm } from '../src/tasks/form.ts';

const task = (over: Partial<Task> = {}): Task => ({
  id: '7f0c1a52-59a3-4c67-9b5e-0d3b8e2f6a11', userId: 'alice', title: 'Pay rent', description: null, priority: 'medium', tags: ['bills'],
  dueAt: '2030-05-01T09:00:00.000Z', remindAt: null, recurrence: null, status: 'open', createdAt: '2030-04-01T00:00:00.000Z',
  updatedAt: '2030-04-01T00:00:00.000Z', completedAt: null, seriesId: null, version: 3, ...over,
});

describe('local date inputs', () => {
  it('when an instant goes into a datetime-local input and back, then it is the same minute', () => {
    const iso = '2030-05-01T09:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });

  it('when the input holds a local time, then it becomes that instant in the browser\'s zone', () => {
    expect(fromLocalInput('2030-05-01T09:30')).toBe(new Date(2030, 4, 1, 9, 30).toISOString());
  });

  it('when the input is empty or not a date, then there is no instant', () => {
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('tomorrow')).toBeUndefined();
    expect(toLocalInput(null)).toBe('');
  });

  it('when a series ends on a day, then it ends at that day\'s last second (local)', () => {
    expect(untilFromDate('2030-06-30')).toBe(new Date(2030, 5, 30, 23, 59, 59).toISOString());
    expect(untilFromDate('30/06/2030')).toBeUndefined();
  });
});

describe('parseTags', () => {
  it('when tags are typed with commas, spaces and #, then each is kept once without #', () => {
    expect(parseTags('#home, bills  home,,#work')).toEqual(['home', 'bills', 'work']);
    expect(parseTags('   ')).toEqual([]);
  });
});

describe('validateForm', () => {
  it('when the form is empty, then only the title is missing', () => {
    expect(validateForm(emptyForm())).toEqual([{ path: 'title', message: 'A title is required.' }]);
  });

  it('when the reminder comes after the due time, then remindAt is wrong (the API\'s own rule)', () => {
    const errors = validateForm({ ...emptyForm(), title: 'x', dueAt: '2030-05-01T09:00', remindAt: '2030-05-01T10:00' });
    expect(errors.map((e) => e.path)).toEqual(['remindAt']);
  });

  it('when there are 11 tags, or one of 31 characters, then tags are wrong', () => {
    expect(validateForm({ ...emptyForm(), title: 'x', tags: 'a b c d e f g h i j k' }).map((e) => e.path)).toEqual(['tags']);
    expect(validateForm({ ...emptyForm(), title: 'x', tags: 'a'.repeat(31) }).map((e) => e.path)).toEqual(['tags']);
  });

  it('when a recurrence interval is 0 or 366, then it is wrong; without a frequency it is not looked at', () => {
    expect(validateForm({ ...emptyForm(), title: 'x', frequency: 'daily', interval: '0' }).map((e) => e.path)).toEqual(['recurrence.interval']);
    expect(validateForm({ ...emptyForm(), title: 'x', frequency: 'weekly', interval: '366' }).map((e) => e.path)).toEqual(['recurrence.interval']);
    expect(validateForm({ ...emptyForm(), title: 'x', frequency: '', interval: '0' })).toEqual([]);
  });

  it('when the title is only spaces or longer than 200, then it is wrong', () => {
    expect(validateForm({ ...emptyForm(), title: '   ' }).map((e) => e.path)).toEqual(['title']);
    expect(validateForm({ ...emptyForm(), title: 'x'.repeat(201) }).map((e) => e.path)).toEqual(['title']);
  });
});

describe('createBody', () => {
  it('when only a title is given, then the body has the title and the defaults, nothing empty', () => {
    expect(createBody({ ...emptyForm(), title: '  Buy milk ' })).toEqual({ title: 'Buy milk', priority: 'medium', tags: [] });
  });

  it('when every field is filled, then due, reminder and recurrence are ISO instants', () => {
    const body = createBody({ title: 'Water plants', description: 'the big ones', priority: 'high', tags: 'home #garden', dueAt: '2030-03-10T08:00', remindAt: '2030-03-10T07:45', frequency: 'weekly', interval: '2', until: '2030-06-30' });
    expect(body).toEqual({
      title: 'Water plants', description: 'the big ones', priority: 'high', tags: ['home', 'garden'],
      dueAt: new Date(2030, 2, 10, 8, 0).toISOString(), remindAt: new Date(2030, 2, 10, 7, 45).toISOString(),
      recurrence: { frequency: 'weekly', interval: 2, until: new Date(2030, 5, 30, 23, 59, 59).toISOString() },
    });
  });
});

describe('patchBody', () => {
  it('when nothing was changed, then nothing is sent (seconds in dueAt do not count as a change)', () => {
    const t = task({ dueAt: '2030-05-01T09:00:42.000Z', recurrence: { frequency: 'daily', interval: 1 } });
    expect(patchBody(t, formFromTask(t))).toEqual({});
  });

  it('when the title and priority change, then only those are sent', () => {
    const t = task();
    expect(patchBody(t, { ...formFromTask(t), title: 'Pay rent (May)', priority: 'high' })).toEqual({ title: 'Pay rent (May)', priority: 'high' });
  });

  it('when an optional field is emptied, then it is sent as null (cleared)', () => {
    const t = task({ description: 'old', recurrence: { frequency: 'daily', interval: 1 } });
    expect(patchBody(t, { ...formFromTask(t), description: '', dueAt: '', frequency: '' })).toEqual({ description: null, dueAt: null, recurrence: null });
  });

  it('when tags or the recurrence change, then the new ones are sent whole', () => {
    const t = task({ recurrence: { frequency: 'daily', interval: 1 } });
    expect(patchBody(t, { ...formFromTask(t), tags: 'bills, rent', interval: '3' })).toEqual({ tags: ['bills', 'rent'], recurrence: { frequency: 'daily', interval: 3 } });
  });
});
