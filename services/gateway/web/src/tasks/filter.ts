// The task list's filter: what the API filters (status, priority, tag — GET /api/tasks) and a text
// search the console applies to the tasks it has loaded (the API has no full-text search).
import type { Priority, TaskStatus } from '../constants.ts';
import type { Task } from '../api/types.ts';

export interface TaskFilter {
  status: TaskStatus | '';
  priority: Priority | '';
  tag: string;
  search: string;
}

export const defaultFilter = (): TaskFilter => ({ status: 'open', priority: '', tag: '', search: '' });

/** One page of the list: how many tasks a request asks for. */
export const PAGE_SIZE = 50;

/** The query string of GET /api/tasks for a filter (and the cursor of the page after the last one). */
export function taskQuery(filter: TaskFilter, cursor?: string | null, limit = PAGE_SIZE): string {
  const q = new URLSearchParams();
  if (filter.status) q.set('status', filter.status);
  if (filter.priority) q.set('priority', filter.priority);
  const tag = filter.tag.trim().replace(/^#+/, '');
  if (tag) q.set('tag', tag);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return `?${q.toString()}`;
}

/** Every word of the search appears in the title, the description or a tag (case-insensitive). */
export function matchesSearch(task: Task, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = [task.title, task.description ?? '', ...task.tags.map((t) => `#${t}`)].join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** Whether a task is overdue now: open, with a due time in the past. */
export const isOverdue = (task: Task, now = new Date()) => task.status === 'open' && !!task.dueAt && Date.parse(task.dueAt) < now.getTime();
