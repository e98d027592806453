import { useEffect } from 'preact/hooks';
import type { Problem } from '../api/problem.ts';
import type { Notification } from '../api/types.ts';
import { formatDateTime, relativeTime } from '../format.ts';
import { ProblemView } from './common.tsx';

interface Props {
  items: Notification[];
  loaded: boolean;
  problem: Problem | undefined;
  onCheckNow: () => void;
  onSeen: () => void;
}

const KIND_TEXT: Record<string, string> = { reminder: 'Reminder', 'task-completed': 'Completed' };

/** The feed, newest first; it updates by itself (App polls it). */
export function Notifications({ items, loaded, problem, onCheckNow, onSeen }: Props) {
  useEffect(onSeen, [items.length]);
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>Notifications</h1>
        <button type="button" class="secondary" onClick={onCheckNow}>Check now</button>
      </div>
      <p class="muted">New ones appear here by themselves: the console polls the feed every few seconds.</p>
      {problem && <ProblemView problem={problem} />}
      {!loaded ? (
        <p class="muted" role="status">Loading notifications…</p>
      ) : items.length === 0 ? (
        <p class="muted">No notifications yet. Complete a task, or set a reminder.</p>
      ) : (
        <ul class="notifications" aria-label="Notifications">
          {items.map((n) => (
            <li key={n.id} class={`notification ${n.kind}`}>
              <span class={`badge kind-${n.kind}`}>{KIND_TEXT[n.kind] ?? n.kind}</span>
              <strong>{n.title}</strong>
              <p>{n.message}</p>
              <time dateTime={n.createdAt} title={formatDateTime(n.createdAt)} class="muted">{relativeTime(n.createdAt)}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
