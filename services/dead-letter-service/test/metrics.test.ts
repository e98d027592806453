import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { reminderDue, setup, taskCreated } from './support.ts';

/** The sample lines of one metric, as `{topic: value}`. */
function gauge(text: string, name: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = line.match(new RegExp(`^${name}\\{topic="([^"]+)"\\} (\\S+)$`));
    if (m) values[m[1]!] = Number(m[2]);
  }
  return values;
}

describe('GET /metrics', () => {
  it('reports todo_dead_letters_pending per topic, 0 for clean topics, discarded and replayed not counted', async () => {
    const s = setup();
    const a = await s.deadLetterFor('task-events', taskCreated('evt-a'));
    await s.deadLetterFor('task-events', taskCreated('evt-b'));
    await s.deadLetterFor('task-events', taskCreated('evt-c'));
    const r = await s.deadLetterFor('reminders', reminderDue('evt-r'));
    await s.deadLetterFor('recurring', taskCreated('evt-x'));
    await s.admin.discard(a).expect(204);
    await s.admin.replay(r).expect(202);

    const res = await s.admin.metrics();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE todo_dead_letters_pending gauge');
    expect(gauge(res.text, 'todo_dead_letters_pending')).toEqual({ 'task-events': 2, reminders: 0, notifications: 0, recurring: 1 });
  });

  it('follows the state on every scrape (a discard lowers it)', async () => {
    const s = setup();
    const a = await s.deadLetterFor('notifications', taskCreated('evt-n'));
    expect(gauge((await s.admin.metrics()).text, 'todo_dead_letters_pending').notifications).toBe(1);
    await s.admin.discard(a).expect(204);
    expect(gauge((await s.admin.metrics()).text, 'todo_dead_letters_pending').notifications).toBe(0);
  });

  it('two apps in one process keep separate registries', async () => {
    const one = setup();
    const two = setup();
    await one.deadLetterFor('task-events', taskCreated('evt-1'));
    expect(gauge((await one.admin.metrics()).text, 'todo_dead_letters_pending')['task-events']).toBe(1);
    expect(gauge((await two.admin.metrics()).text, 'todo_dead_letters_pending')['task-events']).toBe(0);
  });

  it('is open to a Prometheus scrape without the sidecar app token (like the health probes)', async () => {
    const s = setup();
    const res = await request(s.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('todo_dead_letters_pending');
  });
});
