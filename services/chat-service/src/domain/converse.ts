import { CreateTaskRequest, type Actor } from '@todo/contracts';
import type { Clock, Logger } from '@todo/service-kit';
import type { ChatAction, ChatHistory } from './history.ts';
import { parseIntent, type Intent, type ListFilter } from './intents.ts';
import { matchByTitle } from './match.ts';
import { ambiguousReply, createdReply, helpReply, listReply, notFoundReply } from './replies.ts';
import type { TaskApi, TaskView } from './task-api.ts';

export interface ChatDeps {
  tasks: TaskApi;
  history: ChatHistory;
  clock: Clock;
  log: Logger;
}

export interface ChatAnswer {
  reply: string;
  actions: ChatAction[];
}

const NONE: ChatAction[] = [{ type: 'none' }];

/** One turn: understand the message, act on the user's tasks through task-service, remember the exchange. */
export async function converse(deps: ChatDeps, actor: Actor, message: string): Promise<ChatAnswer> {
  const receivedAt = deps.clock.now();
  const intent = parseIntent(message, receivedAt);
  deps.log.info({ intent: intent.kind }, 'chat intent');
  const answer = await act(deps, actor, intent, receivedAt);
  await remember(deps, actor.userId, message, receivedAt, answer);
  return answer;
}

function act(deps: ChatDeps, actor: Actor, intent: Intent, now: Date): Promise<ChatAnswer> {
  switch (intent.kind) {
    case 'create':
      return create(deps, actor, intent, now);
    case 'list':
      return list(deps, actor, intent.filter, now);
    case 'complete':
    case 'delete':
      return changeOne(deps, actor, intent.kind, intent.query);
    case 'help':
      return Promise.resolve({ reply: helpReply(intent.problem), actions: NONE });
  }
}

async function create(deps: ChatDeps, actor: Actor, intent: Extract<Intent, { kind: 'create' }>, now: Date): Promise<ChatAnswer> {
  // Checked here with task-service's own schema, so a bad value becomes a reply instead of a round trip.
  const input = CreateTaskRequest.safeParse(intent.task);
  if (!input.success) {
    const why = input.error.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`).join('; ');
    return { reply: helpReply(`I couldn't add that task (${why}).`), actions: NONE };
  }
  const result = await deps.tasks.create(actor, input.data);
  if (!result.ok) return { reply: helpReply(`I couldn't add that task (${result.detail}).`), actions: NONE };
  deps.log.info({ taskId: result.task.id }, 'task created from chat');
  return {
    reply: createdReply({ ...intent.task, title: result.task.title }, intent.reminder, now),
    actions: [{ type: 'created', taskId: result.task.id }],
  };
}

async function list(deps: ChatDeps, actor: Actor, filter: ListFilter, now: Date): Promise<ChatAnswer> {
  const items = await deps.tasks.list(actor, { status: filter.status, tag: filter.tags[0], priority: filter.priority });
  // task-service filters by one tag and no due window; the rest is narrowed here.
  const wanted = items.filter((t) => {
    const tags = t.tags.map((tag) => tag.toLowerCase());
    if (!filter.tags.every((tag) => tags.includes(tag))) return false;
    if (filter.due) {
      if (!t.dueAt) return false;
      const due = Date.parse(t.dueAt);
      if (filter.due.after && due < Date.parse(filter.due.after)) return false;
      if (filter.due.before && due >= Date.parse(filter.due.before)) return false;
    }
    return true;
  });
  return { reply: listReply(wanted.sort(byStatusThenDue), filter, now), actions: [{ type: 'listed' }] };
}

/** Open before completed, then soonest due first (no due date last), then oldest first. */
function byStatusThenDue(a: TaskView, b: TaskView): number {
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  const ad = a.dueAt ? Date.parse(a.dueAt) : Infinity;
  const bd = b.dueAt ? Date.parse(b.dueAt) : Infinity;
  if (ad !== bd) return ad < bd ? -1 : 1;
  return (a.createdAt ?? '').localeCompare(b.createdAt ?? '');
}

async function changeOne(deps: ChatDeps, actor: Actor, kind: 'complete' | 'delete', query: string): Promise<ChatAnswer> {
  const match = matchByTitle(await deps.tasks.list(actor, { status: 'open' }), query);
  if (match.kind === 'none') return { reply: notFoundReply(query), actions: NONE };
  if (match.kind === 'ambiguous') return { reply: ambiguousReply(match.candidates, kind), actions: NONE };

  const { task } = match;
  const result = kind === 'complete' ? await deps.tasks.complete(actor, task.id) : await deps.tasks.delete(actor, task.id);
  if (!result.ok) {
    // Someone (another tab, the recurring service) got there between our list and our change.
    const reply = result.reason === 'already-completed' ? `"${task.title}" is already done.` : `"${task.title}" no longer exists.`;
    return { reply, actions: NONE };
  }
  deps.log.info({ taskId: task.id, change: kind }, 'task changed from chat');
  return kind === 'complete'
    ? { reply: `Marked "${task.title}" as done.`, actions: [{ type: 'completed', taskId: task.id }] }
    : { reply: `Deleted "${task.title}".`, actions: [{ type: 'deleted', taskId: task.id }] };
}

/**
 * The task change has already happened, so a history write that fails is logged, not returned as an
 * error: a 5xx here would invite the user to send the message again and create the task twice.
 */
async function remember(deps: ChatDeps, userId: string, message: string, receivedAt: Date, answer: ChatAnswer): Promise<void> {
  try {
    await deps.history.append(userId, [
      { role: 'user', text: message, at: receivedAt.toISOString() },
      { role: 'assistant', text: answer.reply, at: deps.clock.now().toISOString(), actions: answer.actions },
    ]);
  } catch (err) {
    deps.log.error({ err, userId }, 'chat history not saved');
  }
}
