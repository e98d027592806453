import { useEffect, useRef, useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import type { Problem } from '../api/problem.ts';
import type { ChatAnswer, ChatMessage } from '../api/types.ts';
import { formatDateTime } from '../format.ts';
import { hrefOf } from '../route.ts';
import { Loading, ProblemView } from './common.tsx';

const ACTION_TEXT: Record<string, string> = { created: 'created a task', listed: 'listed tasks', completed: 'completed a task', deleted: 'deleted a task', none: '' };

/** Talk to chat-service: "add buy milk tomorrow 5pm #home !high", "list #home", "complete buy milk". */
export function Chat({ api, onActivity }: { api: Api; onActivity: () => void }) {
  const [messages, setMessages] = useState<ChatMessage[]>();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => {
    api.get<{ items: ChatMessage[] }>('/api/chat/history').then((h) => setMessages(h.items), (err) => {
      setProblem(asProblem(err));
      setMessages([]);
    });
  }, []);
  useEffect(() => end.current?.scrollIntoView?.({ block: 'nearest' }), [messages?.length]);

  async function send(e: Event) {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setProblem(undefined);
    const at = new Date().toISOString();
    setMessages((m) => [...(m ?? []), { id: `local-${at}`, role: 'user', text: message, at }]);
    setText('');
    try {
      const answer = await api.post<ChatAnswer>('/api/chat', { body: { message } });
      setMessages((m) => [...(m ?? []), { id: `reply-${at}`, role: 'assistant', text: answer.reply, at: new Date().toISOString(), actions: answer.actions }]);
      if (answer.actions.some((a) => a.type !== 'none' && a.type !== 'listed')) onActivity();
    } catch (err) {
      setProblem(asProblem(err));
      setText(message); // nothing lost: send it again
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  return (
    <section aria-labelledby="page-title" class="chat">
      <h1 id="page-title" tabIndex={-1}>Chat</h1>
      <p class="muted">Try “add buy milk tomorrow 5pm #home !high”, “remind me to stretch in 10 minutes”, “list #home”, “complete buy milk”.</p>
      {!messages ? (
        <Loading what="the conversation" />
      ) : (
        <div role="log" aria-live="polite" aria-label="Conversation">
        <ol class="messages">
          {messages.length === 0 && <li class="muted">No messages yet.</li>}
          {messages.map((m) => (
            <li key={m.id} class={`message ${m.role}`}>
              <span class="who">{m.role === 'user' ? 'You' : 'Assistant'}</span>
              <p>{m.text}</p>
              {m.actions?.filter((a) => a.type !== 'none').map((a, i) => (
                <p key={i} class="action">
                  {ACTION_TEXT[a.type] ?? a.type}
                  {a.taskId && <> — <a href={hrefOf('tasks')}>see tasks</a></>}
                </p>
              ))}
              <time dateTime={m.at} class="muted">{formatDateTime(m.at)}</time>
            </li>
          ))}
          <li ref={end} aria-hidden="true" class="end" />
        </ol>
        </div>
      )}
      {problem && <ProblemView problem={problem} />}
      <form class="chat-form" onSubmit={send}>
        <label for="chat-message">Message</label>
        <div class="row">
          <input id="chat-message" ref={input} value={text} maxLength={500} autoComplete="off" onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" disabled={busy || !text.trim()}>Send</button>
        </div>
      </form>
    </section>
  );
}
