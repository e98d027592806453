import { useEffect, useRef, useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import type { Problem } from '../api/problem.ts';
import type { Notification, NotificationPage } from '../api/types.ts';
import { FEED_PAGE, FeedPoller, mergeNotifications } from './feed.ts';

/** Every 3 s while the tab is visible, every 30 s while it is hidden. */
const VISIBLE_MS = 3_000;
const HIDDEN_MS = 30_000;

export interface NotificationsState {
  items: Notification[];
  /** The catch-up finished: `items` holds what was there at sign-in. */
  loaded: boolean;
  /** Arrived since the person last looked at the notifications page. */
  unseen: number;
  /** The newest arrival (not from the catch-up), for the toast. */
  latest: Notification | undefined;
  problem: Problem | undefined;
  markSeen: () => void;
  pollNow: () => void;
  dismissLatest: () => void;
}

/** The signed-in user's feed, polled for as long as the console is open. */
export function useNotifications(api: Api): NotificationsState {
  const [items, setItems] = useState<Notification[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const [latest, setLatest] = useState<Notification>();
  const [problem, setProblem] = useState<Problem>();
  const poller = useRef<FeedPoller | undefined>(undefined);

  useEffect(() => {
    const p = new FeedPoller({
      fetchPage: (after) => api.get<NotificationPage<Notification>>(`/api/notifications?limit=${FEED_PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`),
      onItems: (arrived, initial) => {
        setItems((shown) => mergeNotifications(shown, arrived));
        setProblem(undefined);
        if (!initial) {
          setUnseen((n) => n + arrived.length);
          setLatest(arrived[arrived.length - 1]);
        }
      },
      onError: (err) => setProblem(asProblem(err)),
      onCaughtUp: () => setLoaded(true),
      interval: () => (document.hidden ? HIDDEN_MS : VISIBLE_MS),
    });
    poller.current = p;
    p.start();
    return () => p.stop();
  }, [api]);

  return {
    items,
    loaded,
    unseen,
    latest,
    problem,
    markSeen: () => setUnseen(0),
    pollNow: () => poller.current?.pollNow(),
    dismissLatest: () => setLatest(undefined),
  };
}
