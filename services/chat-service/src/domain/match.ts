import type { TaskView } from './task-api.ts';

export type Match =
  | { kind: 'one'; task: TaskView }
  | { kind: 'ambiguous'; candidates: TaskView[] }
  | { kind: 'none' };

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Finds the task a user named: an exact title (ignoring case and spacing) wins, else the one title that
 * contains what they said. Two exact matches, or several partial ones, are ambiguous: we ask rather than guess.
 */
export function matchByTitle(tasks: TaskView[], query: string): Match {
  const q = norm(query);
  const exact = tasks.filter((t) => norm(t.title) === q);
  if (exact.length === 1 && exact[0]) return { kind: 'one', task: exact[0] };
  if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
  const partial = tasks.filter((t) => norm(t.title).includes(q));
  if (partial.length === 1 && partial[0]) return { kind: 'one', task: partial[0] };
  if (partial.length > 1) return { kind: 'ambiguous', candidates: partial };
  return { kind: 'none' };
}
