import { describe, expect, it } from 'vitest';
import type { Notification } from '../src/api/types.ts';
import { FEED_PAGE, FeedPoller, mergeNotifications } from '../src/notifications/feed.ts';

const n = (id: string, createdAt: string): Notification => ({ id, kind: 'task-completed', taskId: null, title: id, message: '', createdAt });

describe('mergeNotifications', () => {
  it('when some arrive, then all are shown newest first, each once, at most `keep`', () => {
    const shown = [n('b', '2030-01-02T00:00:00Z'), n('a', '2030-01-01T00:00:00Z')];
    const merged = mergeNotifications(shown, [n('b', '2030-01-02T00:00:00Z'), n('c', '2030-01-03T00:00:00Z')]);
    expect(merged.map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(mergeNotifications(merged, [], 2).map((x) => x.id)).toEqual(['c', 'b']);
  });
});

/** A feed: `pages[cursor]` answers the request made with that cursor. Timers run by hand. */
function harness(answer: (after: string | undefined) => { items: Notification[]; next: string } | Error) {
  const asked: Array<string | undefined> = [];
  const received: Array<{ ids: string[]; initial: boolean }> = [];
  const errors: unknown[] = [];
  let timer: (() => void) | undefined;
  let caughtUp = 0;
  const poller = new FeedPoller({
    fetchPage: async (after) => {
      asked.push(after);
      const a = answer(after);
      if (a instanceof Error) throw a;
      return a;
    },
    onItems: (items, initial) => received.push({ ids: items.map((i) => i.id), initial }),
    onError: (err) => errors.push(err),
    onCaughtUp: () => caughtUp++,
    interval: () => 3000,
    setTimer: (fn) => { timer = fn; return 1; },
    clearTimer: () => { timer = undefined; },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const tick = async () => {
    const fn = timer;
    timer = undefined;
    fn?.();
    await settle();
  };
  return { poller, asked, received, errors, tick, settle, caughtUp: () => caughtUp, scheduled: () => timer !== undefined };
}

describe('FeedPoller', () => {
  it('when it starts, then it reads every page of the feed (catch-up), then polls with the last cursor', async () => {
    const full = Array.from({ length: FEED_PAGE }, (_, i) => n(`old-${i}`, '2030-01-01T00:00:00Z'));
    const h = harness((after) => (after === undefined ? { items: full, next: 'c1' } : after === 'c1' ? { items: [n('old-last', '2030-01-01T00:00:01Z')], next: 'c2' } : { items: [], next: 'c2' }));
    h.poller.start();
    await h.settle();
    expect(h.asked).toEqual([undefined, 'c1']);
    expect(h.received.map((r) => r.initial)).toEqual([true, true]);
    expect(h.caughtUp()).toBe(1);
    await h.tick();
    expect(h.asked).toEqual([undefined, 'c1', 'c2']);
    expect(h.scheduled()).toBe(true);
  });

  it('when a notification arrives after the catch-up, then it is reported as news', async () => {
    let arrived = false;
    const h = harness((after) => (after === undefined ? { items: [], next: 'c0' } : arrived ? { items: [n('new', '2030-01-01T00:00:00Z')], next: 'c1' } : { items: [], next: 'c0' }));
    h.poller.start();
    await h.settle();
    await h.tick();
    expect(h.received).toEqual([]);
    arrived = true;
    await h.tick();
    expect(h.received).toEqual([{ ids: ['new'], initial: false }]);
  });

  it('when a poll fails, then the error is reported, the cursor is kept and it polls again', async () => {
    let fail = false;
    const h = harness((after) => (fail ? new Error('503') : { items: [], next: after === undefined ? 'c1' : after }));
    h.poller.start();
    await h.settle();
    fail = true;
    await h.tick();
    expect(h.errors).toHaveLength(1);
    expect(h.scheduled()).toBe(true);
    fail = false;
    await h.tick();
    expect(h.asked).toEqual([undefined, 'c1', 'c1']);
  });

  it('when stopped, then nothing more is asked', async () => {
    const h = harness(() => ({ items: [], next: 'c' }));
    h.poller.start();
    await h.settle();
    h.poller.stop();
    await h.tick();
    expect(h.asked).toHaveLength(1);
  });

  it('when asked to poll now during a poll, then it polls once more right after, not twice at once', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const poller = new FeedPoller({
      fetchPage: () => { calls++; return new Promise((r) => { release = () => r({ items: [], next: 'c' }); }); },
      onItems: () => undefined,
      interval: () => 3000,
      setTimer: () => 1,
      clearTimer: () => undefined,
    });
    poller.start();
    poller.pollNow();
    poller.pollNow();
    expect(calls).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    poller.stop();
  });
});
