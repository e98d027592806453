// Chat: each intent produces the right task change, checked through the task API (not chat's reply).
import { describe, expect, it } from 'vitest';
import { api } from '../support/clients.ts';

const chat = (user: string, message: string) => api('POST', '/api/chat', { user, body: { message } });
const tasksOf = async (user: string, query = '') => (await api('GET', `/api/tasks${query}`, { user })).body.items as Array<Record<string, any>>;

describe('POST /api/chat', () => {
  it('when asked to add with a natural date, #tag and !priority, then that task is created', async () => {
    const user = 'chat-add';
    // "tomorrow" is read when chat-service receives the message: between these two instants. Around
    // midnight they straddle two days, and either day's tomorrow is right.
    const before = new Date();
    const res = await chat(user, 'add buy milk tomorrow 5pm #home !high');
    const after = new Date();
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([expect.objectContaining({ type: 'created', taskId: expect.any(String) })]);
    const [task] = await tasksOf(user);
    expect(task).toMatchObject({ id: res.body.actions[0].taskId, title: 'buy milk', tags: ['home'], priority: 'high', status: 'open' });
    const due = new Date(task!.dueAt);
    const dayAfter = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 17).getTime();
    expect([dayAfter(before), dayAfter(after)]).toContain(due.getTime());
  });

  it('when the message says "next monday", then the task is due on a Monday', async () => {
    const user = 'chat-monday';
    await chat(user, 'create task call mom next monday');
    const [task] = await tasksOf(user);
    expect(task).toMatchObject({ title: 'call mom' });
    expect(new Date(task!.dueAt).getDay()).toBe(1);
    expect(Date.parse(task!.dueAt)).toBeGreaterThan(Date.now());
  });

  it('when asked "remind me to … in 10 minutes", then remindAt is about 10 minutes ahead', async () => {
    const user = 'chat-remind';
    const before = Date.now();
    await chat(user, 'remind me to stretch in 10 minutes');
    const [task] = await tasksOf(user);
    expect(task!.title).toBe('stretch');
    const ahead = Date.parse(task!.remindAt) - before;
    expect(ahead).toBeGreaterThan(9 * 60_000);
    expect(ahead).toBeLessThan(11 * 60_000);
  });

  it('when the message says "… every monday", then a weekly recurring task is created', async () => {
    const user = 'chat-every';
    await chat(user, 'water plants every monday');
    const [task] = await tasksOf(user);
    expect(task).toMatchObject({ title: 'water plants', recurrence: { frequency: 'weekly', interval: 1 } });
    expect(task!.seriesId).toBe(task!.id);
    expect(new Date(task!.dueAt).getDay()).toBe(1);
  });

  it('when asked to list with a filter, then only the matching tasks are in the reply', async () => {
    const user = 'chat-list';
    await chat(user, 'add pay rent #bills');
    await chat(user, 'add walk dog #pets');
    const res = await chat(user, 'list #bills');
    expect(res.status).toBe(200);
    expect(res.body.actions[0].type).toBe('listed');
    expect(res.body.reply).toContain('pay rent');
    expect(res.body.reply).not.toContain('walk dog');
  });

  it('when asked to complete or delete a task by name, then that task is completed or deleted', async () => {
    const user = 'chat-done';
    await chat(user, 'add file taxes');
    await chat(user, 'add old idea');
    expect((await chat(user, 'complete file taxes')).body.actions[0].type).toBe('completed');
    expect((await chat(user, 'delete old idea')).body.actions[0].type).toBe('deleted');
    const all = await tasksOf(user);
    expect(all.map((t) => [t.title, t.status])).toEqual([['file taxes', 'completed']]);
  });

  it('when the input is not understood, then a helpful reply, not an error, and nothing changes', async () => {
    const user = 'chat-unknown';
    const res = await chat(user, 'what is the meaning of life');
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual([{ type: 'none' }]);
    expect(res.body.reply.length).toBeGreaterThan(20);
    expect(await tasksOf(user)).toEqual([]);
  });

  it('when two users chat, then each sees only their own history', async () => {
    const user = 'chat-history';
    await chat(user, 'add one thing');
    const res = await api('GET', '/api/chat/history', { user });
    expect(res.body.items.map((m: { role: string; text: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(res.body.items[0].text).toBe('add one thing');
    expect((await api('GET', '/api/chat/history', { user: 'chat-someone-else' })).body.items).toEqual([]);
  });
});
