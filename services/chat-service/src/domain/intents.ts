import * as chrono from 'chrono-node';
import type { Priority, Recurrence, TaskStatus } from '@todo/contracts';

// What a chat message asks for. Pure: no I/O, and "now" is passed in, so every rule is unit-testable
// with a fixed clock. Dates are understood by chrono-node in the process's time zone (TZ); the only
// patterns written here are for the command words, #tags, !priority and "every …" recurrence.

export type Frequency = Recurrence['frequency'];

export interface NewTask {
  title: string;
  tags: string[];
  priority?: Priority;
  dueAt?: string;
  remindAt?: string;
  recurrence?: { frequency: Frequency; interval: number };
}

/** `before`/`after` bound `dueAt` (ISO); `label` says it back to the user ("due today"). */
export interface DueWindow {
  label: string;
  after?: string;
  before?: string;
}

export interface ListFilter {
  status?: TaskStatus;
  /** Every one must be on the task; the first also goes to task-service as `tag=`. */
  tags: string[];
  priority?: Priority;
  /** Only tasks with a due date, optionally within a window. */
  due?: DueWindow;
}

export type Intent =
  | { kind: 'create'; task: NewTask; reminder: boolean }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'complete'; query: string }
  | { kind: 'delete'; query: string }
  /** Not understood; `problem` says what was missing when the command itself was recognised. */
  | { kind: 'help'; problem?: string };

const MAX_TITLE = 200;
const MAX_TAGS = 10;
const MAX_TAG_LENGTH = 30;
const MAX_INTERVAL = 365;

export function parseIntent(message: string, now: Date): Intent {
  const text = normalize(message);
  if (!/[\p{L}\p{N}]/u.test(text)) return { kind: 'help' };

  const remind = REMIND.exec(text);
  if (remind) return parseCreate(remind[1] ?? '', now, { reminder: true });

  const add = ADD.exec(text) ?? NEW_TASK.exec(text);
  if (add) return parseCreate(add[1] ?? '', now, { reminder: false });

  // "complete tasks" could be a list of completed ones, but a leading verb is an order to act.
  const list = COMMAND_FIRST.test(text) ? undefined : parseList(text, now);
  if (list) return { kind: 'list', filter: list };

  for (const pattern of COMPLETE) {
    const m = pattern.exec(text);
    if (m) return targetIntent('complete', m[1] ?? '');
  }
  const del = DELETE.exec(text);
  if (del) return targetIntent('delete', del[1] ?? '');

  // "water plants every monday" needs no command word: the recurrence says it is a new task.
  if (findRecurrence(text) || UNSUPPORTED_RECURRENCE.test(text)) return parseCreate(text, now, { reminder: false });

  return { kind: 'help' };
}

// ---------------------------------------------------------------------------------------------------
// Command words

const PLEASE = String.raw`(?:please\s+|pls\s+)?`;
const REMIND = new RegExp(
  String.raw`^${PLEASE}(?:remind\s+me|(?:set|add|create)\s+(?:me\s+)?(?:a\s+|an\s+)?reminder)(?:\s*:?\s+(.*))?$`,
  'i',
);
// "add buy milk", "create a new task: call mom", "add task to pay rent" (a leading "to" goes in cleanTitle).
// "new" counts only before the noun: "add new york trip" is a trip.
const ADD = new RegExp(
  String.raw`^${PLEASE}(?:add|create)(?:\s+(?:a|an|another))?(?:(?:\s+new)?\s+(?:task|todo|to-do|item))?(?:(?:\s*:\s*|\s+)(.*))?$`,
  'i',
);
// "new" alone is too common a first word of a title ("new york trip"), so it needs the noun.
const NEW_TASK = /^(?:new\s+(?:task|todo|to-do|item)(?:\s*:\s*|\s+)|(?:task|todo|to-do)\s*:\s*)(.*)$/i;

const DONE_WORD = String.raw`(?:done|complete|completed|finished)`;
const COMPLETE = [
  new RegExp(String.raw`^${PLEASE}mark\s+(.+?)\s+(?:as\s+)?${DONE_WORD}$`, 'i'),
  new RegExp(String.raw`^${PLEASE}(?:tick|check|cross)\s+off\s+(.+)$`, 'i'),
  new RegExp(String.raw`^${PLEASE}(?:complete|finish|finished|completed|done)(?:\s+with)?\s*:?\s+(.+)$`, 'i'),
  new RegExp(String.raw`^i(?:'ve|\s+have)?\s+(?:done|finished|completed|did)\s+(.+)$`, 'i'),
  new RegExp(String.raw`^(.+?)\s+is\s+${DONE_WORD}$`, 'i'),
];
const COMMAND_FIRST = /^(?:please\s+)?(?:complete|finish|done|mark|tick|check|cross|delete|remove|drop|cancel|erase|discard|get\s+rid)\b/i;
const DELETE = new RegExp(String.raw`^${PLEASE}(?:delete|remove|drop|cancel|erase|discard|get\s+rid\s+of)\s*:?\s+(.+)$`, 'i');

function normalize(message: string): string {
  return message
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.?!]+$/, '') // "list my tasks?" / "done with x." — but "!high" keeps its word
    .trim();
}

function targetIntent(kind: 'complete' | 'delete', raw: string): Intent {
  const query = raw
    .replace(/^["']+|["']+$/g, '')
    .replace(/^(?:the\s+)?(?:task|todo|to-do|item)\s*:?\s+/i, '')
    .replace(/^the\s+/i, '')
    .replace(/\s+from\s+(?:my\s+)?(?:list|tasks|todos?)$/i, '')
    .replace(/\s+(?:task|todo|item)$/i, '')
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (!query) return { kind: 'help', problem: `Which task should I ${kind}? Say e.g. "${kind} buy milk".` };
  return { kind, query };
}

// ---------------------------------------------------------------------------------------------------
// Creating: #tags, !priority, "every …", then the date phrase; what is left is the title.

const TAG = /(?:^|\s)#([^\s#]+)/g;
const PRIORITY_MARK = /(?:^|\s)!(high|urgent|important|medium|med|normal|low)\b/gi;
const PRIORITY_PHRASE = /\b(?:(high|medium|low)[\s-]+priority|priority[\s:]+(high|medium|low))\b/gi;

function priorityOf(word: string): Priority {
  const w = word.toLowerCase();
  if (w === 'high' || w === 'urgent' || w === 'important') return 'high';
  if (w === 'low') return 'low';
  return 'medium';
}

function parseCreate(input: string, now: Date, { reminder }: { reminder: boolean }): Intent {
  let text = ` ${input} `;

  const tags: string[] = [];
  for (const m of text.matchAll(TAG)) {
    const tag = (m[1] ?? '').replace(/[.,;:!?]+$/, '').toLowerCase();
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH) return { kind: 'help', problem: `Tags can be at most ${MAX_TAG_LENGTH} characters long (#${tag} is not).` };
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { kind: 'help', problem: `A task can have at most ${MAX_TAGS} tags.` };
  text = text.replace(TAG, ' ');

  let priority: Priority | undefined;
  for (const m of text.matchAll(PRIORITY_MARK)) priority = priorityOf(m[1] ?? '');
  for (const m of text.matchAll(PRIORITY_PHRASE)) priority = priorityOf(m[1] ?? m[2] ?? '');
  text = text.replace(PRIORITY_MARK, ' ').replace(PRIORITY_PHRASE, ' ');

  if (UNSUPPORTED_RECURRENCE.test(text)) {
    return { kind: 'help', problem: 'I can repeat a task every day, every week (on one weekday) or every month; for several weekdays, add one task per day.' };
  }
  const recurrence = findRecurrence(text);
  let anchorAt: number | undefined;
  if (recurrence) {
    if (recurrence.interval < 1 || recurrence.interval > MAX_INTERVAL) {
      return { kind: 'help', problem: 'A task can repeat at most every 365 days, weeks or months, and at least every 1.' };
    }
    // "every monday" → "monday", which chrono reads (with any time next to it) as the next monday.
    const replacement = recurrence.weekday ? ` ${recurrence.weekday} ` : ' ';
    anchorAt = recurrence.weekday ? recurrence.index + 1 : undefined;
    text = text.slice(0, recurrence.index) + replacement + text.slice(recurrence.index + recurrence.length);
  }

  const found = findDate(text, now, anchorAt);
  let due = found?.date;
  if (found) text = text.slice(0, found.index) + ' ' + text.slice(found.index + found.length);
  if (recurrence && !due) {
    // No anchor ("pay rent every month"): the first occurrence is one interval from now.
    due = chrono.parseDate(`in ${recurrence.interval} ${recurrence.unit}`, now, { forwardDate: true }) ?? undefined;
  }

  const title = cleanTitle(text, { dateRemoved: found !== undefined || recurrence !== undefined });
  if (!title) {
    const example = reminder ? 'remind me to stretch in 10 minutes' : 'add buy milk tomorrow 5pm #home !high';
    return { kind: 'help', problem: `What should the task be called? Say e.g. "${example}".` };
  }
  if (title.length > MAX_TITLE) return { kind: 'help', problem: `Task titles can be at most ${MAX_TITLE} characters long.` };

  if (reminder) {
    if (!due) return { kind: 'help', problem: `When should I remind you? Say e.g. "remind me to ${title} in 10 minutes" or "… tomorrow at 9am".` };
    if (due.getTime() <= now.getTime()) return { kind: 'help', problem: 'That time has already passed; when should I remind you?' };
  }

  const task: NewTask = { title, tags };
  if (priority) task.priority = priority;
  if (due) task.dueAt = due.toISOString();
  if (reminder && due) task.remindAt = due.toISOString();
  if (recurrence) task.recurrence = { frequency: recurrence.frequency, interval: recurrence.interval };
  return { kind: 'create', task, reminder };
}

/** Words a date phrase leaves behind at the end of a title ("submit report by", "buy gift for"). */
const DANGLING_END = /(?:^|\s)(?:on|at|by|due|before|until|till|from|starting|for|and)$/i;

/** …and at its start: "remind me to …", "create task to …", "set a reminder for 5pm to …". */
const DANGLING_START = /^(?:to|about|that|for)\s+/i;

function cleanTitle(text: string, { dateRemoved }: { dateRemoved: boolean }): string {
  let title = text.replace(/\s+/g, ' ').trim();
  for (let previous = ''; previous !== title; ) {
    previous = title;
    title = title
      .replace(/^[\s,;:\-–—]+|[\s,;:\-–—]+$/g, '')
      .replace(DANGLING_START, '')
      .replace(dateRemoved ? DANGLING_END : /$^/, '') // "log on" keeps its "on" when no date was cut out
      .trim();
  }
  return title;
}

/**
 * The last date phrase chrono finds that names a day, weekday or time. A bare "march" or "may" is taken
 * as a word of the title, and so is "a day" ("plan a day trip"), which chrono would read as tomorrow.
 */
function findDate(text: string, now: Date, anchorAt?: number): { date: Date; index: number; length: number } | undefined {
  const results = chrono
    .parse(text, now, { forwardDate: true })
    .filter((r) => {
      const s = r.start;
      if (/^an?\s/i.test(r.text)) return false;
      return s.isCertain('day') || s.isCertain('weekday') || s.isCertain('hour') || (s.isCertain('year') && s.isCertain('month'));
    });
  const anchored = anchorAt === undefined ? undefined : results.find((r) => r.index <= anchorAt && anchorAt < r.index + r.text.length);
  const chosen = anchored ?? results.at(-1);
  return chosen ? { date: chosen.start.date(), index: chosen.index, length: chosen.text.length } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Recurrence: "every day", "every 2 weeks", "every other monday", "each month", "every year".

const WEEKDAYS: Record<string, string> = {
  mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday',
};
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const WEEKDAY_WORD = String.raw`(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?s?`;
const RECURRENCE = new RegExp(
  String.raw`\b(?:every|each)\s+(?:(other)\s+|(\d{1,4}|${Object.keys(NUMBER_WORDS).join('|')})\s+)?` +
    String.raw`(days?|weeks?|months?|years?|${WEEKDAY_WORD})\b`,
  'i',
);

/** Rules a task's recurrence cannot express: "every weekday", "every mon and thu". */
const UNSUPPORTED_RECURRENCE = new RegExp(
  String.raw`\b(?:every|each)\s+(?:(?:weekday|weekend)s?\b|${WEEKDAY_WORD}(?:\s*,\s*|\s+and\s+|\s*&\s*)${WEEKDAY_WORD}\b)`,
  'i',
);

interface FoundRecurrence {
  frequency: Frequency;
  interval: number;
  /** The weekday to anchor on ("monday"), for "every monday". */
  weekday?: string;
  /** chrono's word for one step, used when nothing anchors the first occurrence ("in 2 weeks"). */
  unit: 'days' | 'weeks' | 'months';
  index: number;
  length: number;
}

function findRecurrence(text: string): FoundRecurrence | undefined {
  const m = RECURRENCE.exec(text);
  if (!m) return undefined;
  const count = m[1] ? 2 : m[2] ? (NUMBER_WORDS[m[2].toLowerCase()] ?? Number(m[2])) : 1;
  const word = (m[3] ?? '').toLowerCase();
  const base = { index: m.index, length: m[0].length };
  if (word.startsWith('day')) return { ...base, frequency: 'daily', interval: count, unit: 'days' };
  if (word.startsWith('week')) return { ...base, frequency: 'weekly', interval: count, unit: 'weeks' };
  if (word.startsWith('month')) return { ...base, frequency: 'monthly', interval: count, unit: 'months' };
  // Task recurrence has no yearly rule; twelve months is the same thing.
  if (word.startsWith('year')) return { ...base, frequency: 'monthly', interval: count * 12, unit: 'months' };
  const weekday = WEEKDAYS[word.slice(0, 3)];
  if (!weekday) return undefined;
  return { ...base, frequency: 'weekly', interval: count, weekday, unit: 'weeks' };
}

// ---------------------------------------------------------------------------------------------------
// Listing: every word must be a filter or filler, so "show me a joke" is not a task list.

const LIST_START = /^(?:please\s+)?(?:list|show|display|view|see|get|what|what's|whats|which|any)\b/i;
const TASK_WORDS = new Set(['tasks', 'task', 'todos', 'todo', 'items', 'item', 'list', 'things', 'stuff', 'reminders']);
const OPEN_WORDS = new Set(['open', 'pending', 'outstanding', 'active', 'remaining', 'unfinished', 'incomplete', 'undone', 'left', 'current']);
const DONE_WORDS = new Set(['completed', 'complete', 'done', 'finished', 'closed']);
const FILLER = new Set([
  'please', 'pls', 'list', 'show', 'display', 'view', 'see', 'get', 'what', "what's", 'whats', 'which', 'any', 'is', 'are',
  'there', 'do', 'does', 'i', 'have', 'got', 'to', 'me', 'my', 'all', 'the', 'of', 'with', 'tagged', 'tag', 'tags', 'priority',
  'prio', 'that', 'ones', 'still', 'everything', 'for', 'a', 'an', 'on', 'in', 'and', 'by', 'this', 'next', 'upcoming', 'up', 'coming',
]);

function parseList(text: string, now: Date): ListFilter | undefined {
  const started = LIST_START.test(text);
  const tags: string[] = [];
  let priority: Priority | undefined;
  let status: TaskStatus | undefined;
  let due: 'any' | 'overdue' | 'today' | 'tomorrow' | 'week' | undefined;
  let meaningful = false;
  let namesTasks = false;

  const words = text.toLowerCase().replace(/-/g, ' ').split(/[\s,;]+/).filter(Boolean);
  for (const word of words) {
    if (word.startsWith('#') && word.length > 1) {
      tags.push(word.slice(1));
      meaningful = true;
    } else if (/^!(high|urgent|important|medium|med|normal|low)$/.test(word) || /^(high|urgent|important|medium|low)$/.test(word)) {
      priority = priorityOf(word.replace(/^!/, ''));
      meaningful = true;
    } else if (OPEN_WORDS.has(word)) {
      status = 'open';
      meaningful = true;
    } else if (DONE_WORDS.has(word)) {
      status = 'completed';
      meaningful = true;
    } else if (word === 'due') {
      due ??= 'any';
      meaningful = true;
      namesTasks = true;
    } else if (word === 'overdue' || word === 'late') {
      due = 'overdue';
      meaningful = true;
    } else if (word === 'today' || word === 'tonight') {
      due = 'today';
      meaningful = true;
    } else if (word === 'tomorrow') {
      due = 'tomorrow';
      meaningful = true;
    } else if (word === 'week') {
      due = 'week';
      meaningful = true;
    } else if (TASK_WORDS.has(word)) {
      meaningful = true;
      namesTasks = true;
    } else if (!FILLER.has(word)) {
      return undefined;
    }
  }
  // "list" alone lists everything; "what" alone is not a request for tasks.
  const bareList = words.length === 1 && /^(list|show)$/.test(words[0] ?? '');
  if (!meaningful && !bareList) return undefined;
  // Without a list verb, it must say "tasks" or "due": "high" or "done" alone is not a request to list.
  if (!started && !namesTasks && !due) return undefined;

  const filter: ListFilter = { tags };
  if (priority) filter.priority = priority;
  if (due) {
    filter.due = dueWindow(due, now);
    status ??= 'open'; // "what's due" is about work still to do
  }
  if (status) filter.status = status;
  return filter;
}

function dueWindow(due: 'any' | 'overdue' | 'today' | 'tomorrow' | 'week', now: Date): DueWindow {
  const startOfDay = (offsetDays: number) => {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() + offsetDays);
    return d.toISOString();
  };
  switch (due) {
    case 'any':
      return { label: 'with a due date' };
    case 'overdue':
      return { label: 'overdue', before: now.toISOString() };
    case 'today':
      return { label: 'due today', before: startOfDay(1) };
    case 'tomorrow':
      return { label: 'due tomorrow', after: startOfDay(1), before: startOfDay(2) };
    case 'week':
      return { label: 'due in the next 7 days', before: startOfDay(8) };
  }
}
