import { useEffect, useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import type { Problem } from '../api/problem.ts';
import type { Dashboard as DashboardData } from '../api/types.ts';
import { formatDateTime, relativeTime } from '../format.ts';
import { Loading, ProblemView } from './common.tsx';
import { degradedParts } from '../dashboard.ts';

function Unavailable({ service }: { service: string }) {
  return <p class="degraded-part" role="note">Unavailable: {service} did not answer.</p>;
}

/** Counts, upcoming reminders, recent notifications and insights; a part whose service failed is marked. */
export function Dashboard({ api }: { api: Api }) {
  const [data, setData] = useState<DashboardData>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  async function load() {
    setBusy(true);
    setProblem(undefined);
    try {
      setData(await api.get<DashboardData>('/api/dashboard'));
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => void load(), []);

  const parts = data ? degradedParts(data) : undefined;
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>Dashboard</h1>
        <button type="button" class="secondary" onClick={() => void load()} disabled={busy}>Refresh</button>
      </div>
      {problem && <ProblemView problem={problem} />}
      {!data || !parts ? (
        !problem && <Loading what="the dashboard" />
      ) : (
        <>
          {data.degraded.length > 0 && (
            <div class="degraded" role="alert">
              <p class="problem-heading">Partly unavailable</p>
              <p>These services did not answer; their parts are marked below: {data.degraded.join(', ')}.</p>
            </div>
          )}
          <div class="tiles" aria-label="Task counts" role="group">
            {data.tasks ? (
              (['open', 'completed', 'overdue', 'dueToday'] as const).map((k) => (
                <div class={`tile ${k}${data.tasks![k] > 0 ? ' some' : ''}`} key={k}>
                  <span class="tile-value">{data.tasks![k]}</span>
                  <span class="tile-label">{k === 'dueToday' ? 'due today' : k}</span>
                </div>
              ))
            ) : (
              <Unavailable service={parts.tasks!} />
            )}
          </div>
          <div class="columns">
            <section class="card" aria-labelledby="upcoming">
              <h2 id="upcoming">Upcoming reminders</h2>
              {data.upcomingReminders === null ? (
                <Unavailable service={parts.upcomingReminders!} />
              ) : data.upcomingReminders.length === 0 ? (
                <p class="muted">None.</p>
              ) : (
                <ul>{data.upcomingReminders.map((r) => <li key={r.taskId}>{r.title} — <time dateTime={r.remindAt}>{formatDateTime(r.remindAt)}</time></li>)}</ul>
              )}
            </section>
            <section class="card" aria-labelledby="recent">
              <h2 id="recent">Recent notifications</h2>
              {data.recentNotifications === null ? (
                <Unavailable service={parts.recentNotifications!} />
              ) : data.recentNotifications.length === 0 ? (
                <p class="muted">None.</p>
              ) : (
                <ul>{data.recentNotifications.map((n) => <li key={n.id}>{n.title}: {n.message} <span class="muted">({relativeTime(n.createdAt)})</span></li>)}</ul>
              )}
            </section>
            <section class="card" aria-labelledby="insights">
              <h2 id="insights">Insights (7 days)</h2>
              {data.insights === null ? (
                <Unavailable service={parts.insights!} />
              ) : (
                <dl class="facts">
                  <dt>Completed, all time</dt><dd>{data.insights.completed.total}</dd>
                  <dt>Completed, last 7 days</dt><dd>{data.insights.completed.perDay.reduce((s, d) => s + d.count, 0)}</dd>
                  <dt>Streak</dt><dd>{data.insights.streak.currentDays} day{data.insights.streak.currentDays === 1 ? '' : 's'}</dd>
                  <dt>Busiest tags</dt><dd>{data.insights.busiestTags.map((t) => `#${t.tag}`).join(' ') || '—'}</dd>
                </dl>
              )}
            </section>
          </div>
        </>
      )}
    </section>
  );
}
