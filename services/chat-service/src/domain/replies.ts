import type { ListFilter, NewTask } from './intents.ts';
import type { TaskView } from './task-api.ts';

// What the assistant says. Dates are shown in the process's time zone, the same one they are parsed in.

export const HELP = [
  'I can help with your tasks. Try:',
  '• add buy milk tomorrow 5pm #home !high',
  '• remind me to stretch in 10 minutes',
  '• water plants every monday',
  '• list open tasks / list #home / show high priority tasks / what\'s due?',
  '• done with buy milk',
  '• delete buy milk',
].join('\n');

export function helpReply(problem?: string): string {
  return problem ? `${problem}\n\n${HELP}` : `Sorry, I didn't understand that. ${HELP}`;
}

export function formatWhen(iso: string, now: Date): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}

const UNITS = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

export function describeRecurrence(rule: NonNullable<NewTask['recurrence']>): string {
  if (rule.frequency === 'monthly' && rule.interval % 12 === 0) {
    return rule.interval === 12 ? 'every year' : `every ${rule.interval / 12} years`;
  }
  const unit = UNITS[rule.frequency];
  return rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`;
}

export function createdReply(task: NewTask, reminder: boolean, now: Date): string {
  const details: string[] = [];
  if (task.recurrence) details.push(`repeats ${describeRecurrence(task.recurrence)}`);
  if (task.dueAt) details.push(`${task.recurrence ? 'next due' : 'due'} ${formatWhen(task.dueAt, now)}`);
  if (task.priority) details.push(`${task.priority} priority`);
  if (task.tags.length) details.push(task.tags.map((t) => `#${t}`).join(' '));
  if (reminder && task.remindAt) {
    return `OK, I'll remind you to "${task.title}" on ${formatWhen(task.remindAt, now)}${task.recurrence ? ` (${describeRecurrence(task.recurrence)})` : ''}.`;
  }
  return `Added "${task.title}"${details.length ? ` (${details.join(', ')})` : ''}.`;
}

const SHOWN = 20;

export function listReply(tasks: TaskView[], filter: ListFilter, now: Date): string {
  const what = describeFilter(filter);
  if (tasks.length === 0) return `You have no ${what}.`;
  const lines = tasks.slice(0, SHOWN).map((t, i) => {
    const parts = [`${i + 1}. ${t.title}`];
    if (t.dueAt) parts.push(`due ${formatWhen(t.dueAt, now)}`);
    if (t.priority === 'high') parts.push('!high');
    if (t.status === 'completed') parts.push('(done)');
    return parts.join(' — ');
  });
  if (tasks.length > SHOWN) lines.push(`…and ${tasks.length - SHOWN} more.`);
  return `Your ${what} (${tasks.length}):\n${lines.join('\n')}`;
}

function describeFilter(filter: ListFilter): string {
  const words: string[] = [];
  if (filter.status) words.push(filter.status);
  if (filter.priority) words.push(`${filter.priority}-priority`);
  words.push('tasks');
  if (filter.tags.length) words.push(`tagged ${filter.tags.map((t) => `#${t}`).join(' ')}`);
  if (filter.due) words.push(filter.due.label);
  return words.join(' ');
}

export function ambiguousReply(candidates: TaskView[], verb: string): string {
  const names = candidates.slice(0, 5).map((t) => `"${t.title}"`).join(', ');
  return `Several open tasks match: ${names}. Which one should I ${verb}? Say its full title.`;
}

export function notFoundReply(query: string): string {
  return `I couldn't find an open task called "${query}". Say "list open tasks" to see them.`;
}
