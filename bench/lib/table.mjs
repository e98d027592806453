// Formatting of figures for the report: "median (min–max)" over the rounds.
export function cell(s, unit = '') {
  if (!s || s.median === null || s.median === undefined) return '—';
  const m = fmtNum(s.median);
  if (!s.rounds || s.rounds.length < 2 || s.min === s.max) return `${m}${unit}`;
  return `${m}${unit} (${fmtNum(s.min)}–${fmtNum(s.max)})`;
}

export function fmtNum(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 100) return String(Math.round(x));
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(2);
}

export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);
