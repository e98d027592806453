// Notifications arrive by polling the feed with its cursor: GET /api/notifications?after=<next> returns
// only what arrived since (oldest first) and always a `next` to ask with the next time. Polling, not
// server-sent events: the gateway answers every call through the notification-service's sidecar, and a
// request that hangs open would hold a sidecar connection per browser tab for nothing.
import type { Notification, NotificationPage } from '../api/types.ts';

/** How many the console keeps in memory (the feed itself keeps the newest 1,000). */
export const KEEP = 200;
export const FEED_PAGE = 100;

/** Adds what arrived to what is shown: newest first, each id once, at most `keep`. */
export function mergeNotifications(shown: Notification[], arrived: Notification[], keep = KEEP): Notification[] {
  const byId = new Map<string, Notification>();
  for (const n of [...shown, ...arrived]) byId.set(n.id, n);
  return [...byId.values()]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, keep);
}

export interface PollerOptions {
  fetchPage: (after: string | undefined) => Promise<NotificationPage<Notification>>;
  /** `initial`: the catch-up at start (what was there before), not news. */
  onItems: (items: Notification[], initial: boolean) => void;
  onError?: (err: unknown) => void;
  /** Once, when the catch-up has read the whole feed. */
  onCaughtUp?: () => void;
  /** Milliseconds between polls (slower while the tab is hidden: the caller decides). */
  interval: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Polls the feed: first it reads every page from the start (catch-up), then asks with the cursor every
 * `interval()` ms. A failed poll keeps the cursor and tries again at the next tick; nothing is lost or
 * shown twice (the cursor only moves with an answer).
 */
export class FeedPoller {
  private cursor: string | undefined;
  private timer: unknown;
  private stopped = false;
  private caughtUp = false;
  /** A poll is in flight; `again`: pollNow was asked meanwhile, so poll once more right after it. */
  private running = false;
  private again = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: PollerOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer(this.timer);
  }

  /** Polls now (e.g. after the person completed a task) instead of at the next tick. */
  pollNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer(this.timer);
    void this.tick();
  }

  private async tick(): Promise<void> {
    this.running = true;
    try {
      // Page until a page comes back short: the catch-up reads the whole feed, a burst is read at once.
      for (;;) {
        const page = await this.options.fetchPage(this.cursor);
        if (this.stopped) return;
        this.cursor = page.next;
        if (page.items.length) this.options.onItems(page.items, !this.caughtUp);
        if (page.items.length < FEED_PAGE) break;
      }
      if (!this.caughtUp) {
        this.caughtUp = true;
        this.options.onCaughtUp?.();
      }
    } catch (err) {
      if (this.stopped) return;
      this.options.onError?.(err);
    }
    this.running = false;
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.tick();
      return;
    }
    this.timer = this.setTimer(() => void this.tick(), this.options.interval());
  }
}
