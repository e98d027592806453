// The task form's values and the request bodies made from them. Pure: dates are converted in the
// browser's time zone (what <input type="datetime-local"> shows), everything else is plain data.
import { LIMITS, PRIORITIES, type Frequency, type Priority } from '../constants.ts';
import type { Task } from '../api/types.ts';
import type { FieldError } from '../api/problem.ts';

/** What the form's inputs hold: strings, as the DOM gives them. */
export interface TaskFormValues {
  title: string;
  description: string;
  priority: Priority;
  /** Comma- or space-separated; a leading # is allowed ("#home, bills"). */
  tags: string;
  /** `YYYY-MM-DDTHH:mm` in local time, or '' for none. */
  dueAt: string;
  remindAt: string;
  /** '' = not recurring. */
  frequency: Frequency | '';
  interval: string;
  /** `YYYY-MM-DD` (the last day, local), or ''. */
  until: string;
}

export interface RecurrenceBody {
  frequency: Frequency;
  interval: number;
  until?: string;
}

export interface CreateTaskBody {
  title: string;
  description?: string;
  priority: Priority;
  tags: string[];
  dueAt?: string;
  remindAt?: string;
  recurrence?: RecurrenceBody;
}

/** PATCH body: only what changed; `null` clears an optional field. */
export type PatchTaskBody = Partial<{
  title: string;
  description: string | null;
  priority: Priority;
  tags: string[];
  dueAt: string | null;
  remindAt: string | null;
  recurrence: RecurrenceBody | null;
}>;

export const emptyForm = (): TaskFormValues => ({
  title: '', description: '', priority: 'medium', tags: '', dueAt: '', remindAt: '', frequency: '', interval: '1', until: '',
});

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a datetime-local value in the browser's zone (minutes; seconds are dropped). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO instant; undefined when empty or not a date. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The last day of a series (`YYYY-MM-DD`, local) as the ISO instant of that day's end. */
export function untilFromDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function untilToDate(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "#home, bills  home" → ["home", "bills"]: split on commas and spaces, # dropped, duplicates once. */
export function parseTags(raw: string): string[] {
  const tags = raw.split(/[\s,]+/).map((t) => t.replace(/^#+/, '')).filter(Boolean);
  return [...new Set(tags)];
}

export function formFromTask(task: Task): TaskFormValues {
  return {
    title: task.title,
    description: task.description ?? '',
    priority: task.priority,
    tags: task.tags.join(', '),
    dueAt: toLocalInput(task.dueAt),
    remindAt: toLocalInput(task.remindAt),
    frequency: task.recurrence?.frequency ?? '',
    interval: String(task.recurrence?.interval ?? 1),
    until: untilToDate(task.recurrence?.until),
  };
}

/** The API's rules, checked before sending so the person sees them next to the field. */
export function validateForm(v: TaskFormValues): FieldError[] {
  const errors: FieldError[] = [];
  const title = v.title.trim();
  if (!title) errors.push({ path: 'title', message: 'A title is required.' });
  else if (v.title.length > LIMITS.title) errors.push({ path: 'title', message: `At most ${LIMITS.title} characters.` });
  if (v.description.length > LIMITS.description) errors.push({ path: 'description', message: `At most ${LIMITS.description} characters.` });
  if (!PRIORITIES.includes(v.priority)) errors.push({ path: 'priority', message: 'Pick low, medium or high.' });
  const tags = parseTags(v.tags);
  if (tags.length > LIMITS.tags) errors.push({ path: 'tags', message: `At most ${LIMITS.tags} tags.` });
  const long = tags.find((t) => t.length > LIMITS.tag);
  if (long) errors.push({ path: 'tags', message: `"${long.slice(0, 12)}…" is longer than ${LIMITS.tag} characters.` });
  const due = fromLocalInput(v.dueAt);
  const remind = fromLocalInput(v.remindAt);
  if (v.dueAt && !due) errors.push({ path: 'dueAt', message: 'Not a date and time.' });
  if (v.remindAt && !remind) errors.push({ path: 'remindAt', message: 'Not a date and time.' });
  if (due && remind && Date.parse(remind) > Date.parse(due)) errors.push({ path: 'remindAt', message: 'The reminder must not come after the due time.' });
  if (v.frequency) {
    const interval = Number(v.interval);
    if (!Number.isInteger(interval) || interval < 1 || interval > LIMITS.interval) errors.push({ path: 'recurrence.interval', message: `A whole number from 1 to ${LIMITS.interval}.` });
    if (v.until && !untilFromDate(v.until)) errors.push({ path: 'recurrence.until', message: 'Not a date.' });
  }
  return errors;
}

function recurrenceOf(v: TaskFormValues): RecurrenceBody | undefined {
  if (!v.frequency) return undefined;
  const until = untilFromDate(v.until);
  return { frequency: v.frequency, interval: Number(v.interval) || 1, ...(until ? { until } : {}) };
}

/** POST /api/tasks body: empty optional fields are left out. Assumes validateForm passed. */
export function createBody(v: TaskFormValues): CreateTaskBody {
  const description = v.description.trim();
  const dueAt = fromLocalInput(v.dueAt);
  const remindAt = fromLocalInput(v.remindAt);
  const recurrence = recurrenceOf(v);
  return {
    title: v.title.trim(),
    ...(description ? { description } : {}),
    priority: v.priority,
    tags: parseTags(v.tags),
    ...(dueAt ? { dueAt } : {}),
    ...(remindAt ? { remindAt } : {}),
    ...(recurrence ? { recurrence } : {}),
  };
}

const sameInstant = (a: string | null | undefined, b: string | null | undefined) =>
  (a ? Date.parse(a) : null) === (b ? Date.parse(b) : null);

const sameRecurrence = (a: Task['recurrence'], b: RecurrenceBody | undefined) =>
  (!a && !b) || (!!a && !!b && a.frequency === b.frequency && a.interval === b.interval && sameInstant(a.until, b.until));

/**
 * PATCH /api/tasks/:id body: only the fields the person changed (an unchanged form sends nothing);
 * an emptied optional field becomes null. Dates compare at the form's precision (minutes), so a task
 * whose dueAt has seconds is not "changed" by opening and saving it.
 */
export function patchBody(task: Task, v: TaskFormValues): PatchTaskBody {
  const before = formFromTask(task);
  const body: PatchTaskBody = {};
  if (v.title.trim() !== task.title) body.title = v.title.trim();
  if (v.description.trim() !== (task.description ?? '')) body.description = v.description.trim() || null;
  if (v.priority !== task.priority) body.priority = v.priority;
  const tags = parseTags(v.tags);
  if (tags.join('\u0000') !== task.tags.join('\u0000')) body.tags = tags;
  if (v.dueAt !== before.dueAt) body.dueAt = fromLocalInput(v.dueAt) ?? null;
  if (v.remindAt !== before.remindAt) body.remindAt = fromLocalInput(v.remindAt) ?? null;
  const recurrence = recurrenceOf(v);
  const formRecurrenceChanged = v.frequency !== before.frequency || (v.frequency && (v.interval !== before.interval || v.until !== before.until));
  if (formRecurrenceChanged && !sameRecurrence(task.recurrence, recurrence)) body.recurrence = recurrence ?? null;
  return body;
}
