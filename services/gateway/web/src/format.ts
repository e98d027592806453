// How dates and ids read in the console. Pure (the locale and zone are the browser's).

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** "in 5 min", "3 h ago", "in 2 days": coarse, for lists. */
export function relativeTime(iso: string, now = new Date()): string {
  const ms = Date.parse(iso) - now.getTime();
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  const [value, unit] =
    abs < 60_000 ? [Math.round(abs / 1000), 's'] :
    abs < 3_600_000 ? [Math.round(abs / 60_000), 'min'] :
    abs < 86_400_000 ? [Math.round(abs / 3_600_000), 'h'] :
    [Math.round(abs / 86_400_000), abs < 2 * 86_400_000 ? 'day' : 'days'];
  if (unit === 's' && value < 5) return 'just now';
  return ms >= 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

/** The first 8 characters of an id: enough to tell rows apart, short enough for a phone. */
export const shortId = (id: string) => id.slice(0, 8);

export function describeRecurrence(r: { frequency: string; interval: number; until?: string | undefined } | null | undefined): string {
  if (!r) return '';
  const unit = { daily: 'day', weekly: 'week', monthly: 'month' }[r.frequency] ?? r.frequency;
  const every = r.interval === 1 ? `every ${unit}` : `every ${r.interval} ${unit}s`;
  return r.until ? `${every} until ${formatDateTime(r.until)}` : every;
}
