import { useEffect, useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import { useAction } from '../api/use-action.ts';
import type { Problem } from '../api/problem.ts';
import type { DeadLetter, Page } from '../api/types.ts';
import { DEAD_LETTER_STATUSES } from '../constants.ts';
import { formatDateTime, shortId } from '../format.ts';
import { Field, Loading, ProblemView } from './common.tsx';

const path = (id: string) => `/api/admin/dead-letters/${encodeURIComponent(id)}`;

function DeadLetterRow({ letter, api, onChanged }: { letter: DeadLetter; api: Api; onChanged: (d: DeadLetter) => void }) {
  const [details, setDetails] = useState<DeadLetter>();
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const { busy, problem, note, setNote, act } = useAction();

  const show = () => act(async () => setDetails(details ? undefined : await api.get<DeadLetter>(path(letter.id))));
  const replay = () => act(async () => {
    await api.post(`${path(letter.id)}/replay`);
    const now = await api.get<DeadLetter>(path(letter.id));
    onChanged(now);
    setNote(`Replayed: republished to ${letter.originalTopic}.`);
  });
  const discard = () => act(async () => {
    await api.delete(path(letter.id));
    onChanged(await api.get<DeadLetter>(path(letter.id)));
    setNote('Discarded.');
    setConfirmDiscard(false);
  });

  const titleId = `dl-${letter.id}`;
  return (
    <li class={`dead-letter ${letter.status}`} aria-labelledby={titleId} data-dead-letter-id={letter.id}>
      <div class="task-head">
        <h3 id={titleId}>{letter.eventType ?? 'unknown event'} <span class="muted">on {letter.originalTopic}</span></h3>
        <span class={`badge status-${letter.status}`}>{letter.status}</span>
      </div>
      <dl class="task-meta">
        <dt>Id</dt><dd title={letter.id}>{shortId(letter.id)}</dd>
        <dt>Event id</dt><dd>{letter.eventId ?? '—'}</dd>
        <dt>Deliveries</dt><dd>{letter.deliveries}</dd>
        <dt>Last seen</dt><dd>{formatDateTime(letter.lastSeenAt)}</dd>
        {letter.reason && (<><dt>Reason</dt><dd>{letter.reason}</dd></>)}
        {letter.handledBy && (<><dt>Handled by</dt><dd>{letter.handledBy}</dd></>)}
      </dl>
      {note && <p class="notice" role="status">{note}</p>}
      {problem && <ProblemView problem={problem} />}
      <div class="actions">
        <button type="button" class="secondary" aria-expanded={!!details} onClick={show} disabled={busy}>{details ? 'Hide' : 'Show'}</button>
        {letter.status !== 'discarded' && <button type="button" onClick={replay} disabled={busy}>Replay</button>}
        {letter.status !== 'discarded' && (confirmDiscard ? (
          <span class="confirm" role="group" aria-label="Discard this dead letter?">
            <button type="button" class="danger" onClick={discard} disabled={busy}>Yes, discard</button>
            <button type="button" class="secondary" onClick={() => setConfirmDiscard(false)}>Keep</button>
          </span>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirmDiscard(true)} disabled={busy}>Discard</button>
        ))}
      </div>
      {details && <pre class="event" aria-label="Dead letter as stored">{JSON.stringify(details, null, 2)}</pre>}
    </li>
  );
}

/** Admin: what every *.dlq topic collected (dead-letter-service), to inspect, replay or discard. */
export function DeadLetters({ api }: { api: Api }) {
  const [status, setStatus] = useState<string>('pending');
  const [topic, setTopic] = useState('');
  const [topicInput, setTopicInput] = useState('');
  const [letters, setLetters] = useState<DeadLetter[]>();
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem>();

  async function load(cursor?: string | null) {
    setProblem(undefined);
    const q = new URLSearchParams({ status, limit: '50' });
    if (topic.trim()) q.set('topic', topic.trim());
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await api.get<Page<DeadLetter>>(`/api/admin/dead-letters?${q.toString()}`);
      setLetters((shown) => (cursor ? [...(shown ?? []), ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      setProblem(asProblem(err));
      if (!cursor) setLetters([]);
    }
  }
  useEffect(() => {
    setLetters(undefined);
    void load();
  }, [status, topic]);

  const changed = (d: DeadLetter) => setLetters((shown) => shown?.map((l) => (l.id === d.id ? d : l)));
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>Dead letters</h1>
        <button type="button" class="secondary" onClick={() => void load()}>Reload</button>
      </div>
      <form class="filters" role="search" aria-label="Filter dead letters" onSubmit={(e) => { e.preventDefault(); setTopic(topicInput); }}>
        <Field id="dl-status" label="Status">
          <select id="dl-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {DEAD_LETTER_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            <option value="all">all</option>
          </select>
        </Field>
        <Field id="dl-topic" label="Topic">
          <input id="dl-topic" value={topicInput} placeholder="task-events" onInput={(e) => setTopicInput(e.currentTarget.value)} onBlur={() => setTopic(topicInput)} />
        </Field>
        <button type="submit" class="secondary">Apply</button>
      </form>
      {problem && (
        <ProblemView problem={problem}>
          <button type="button" onClick={() => void load()}>Retry</button>
        </ProblemView>
      )}
      {!letters ? (
        <Loading what="dead letters" />
      ) : letters.length === 0 ? (
        <p class="muted">No {status === 'all' ? '' : `${status} `}dead letters{topic ? ` from ${topic}` : ''}.</p>
      ) : (
        <ul class="dead-letters" aria-label="Dead letters">
          {letters.map((d) => <DeadLetterRow key={d.id} letter={d} api={api} onChanged={changed} />)}
        </ul>
      )}
      {next && <button type="button" class="secondary" onClick={() => void load(next)}>Load more</button>}
    </section>
  );
}
