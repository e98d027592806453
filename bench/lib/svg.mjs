// Hand-written SVG charts (no dependency): a line chart and a bar chart with min–max whiskers. Small,
// deterministic output so the committed files diff cleanly.
const W = 640;
const H = 360;
const M = { l: 64, r: 16, t: 36, b: 96 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v) => (v >= 1e6 ? `${+(v / 1e6).toFixed(1)}M` : v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : v >= 10 ? String(Math.round(v)) : String(+v.toFixed(2)));

function axis(min, max, log) {
  if (log) {
    const lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
    const hi = Math.ceil(Math.log10(Math.max(max, 1e-3)));
    const ticks = [];
    for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
    return { lo: 10 ** lo, hi: 10 ** hi, ticks, pos: (v) => (Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo || 1) };
  }
  const step = 10 ** Math.floor(Math.log10(max || 1));
  const hi = Math.ceil((max || 1) / step) * step;
  const ticks = [];
  for (let v = 0; v <= hi + 1e-9; v += hi / 5) ticks.push(v);
  return { lo: 0, hi, ticks, pos: (v) => v / (hi || 1) };
}

function frame(title, yLabel, y, note) {
  const ph = H - M.t - M.b;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text transform="translate(14 ${M.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  ];
  for (const t of y.ticks) {
    const py = M.t + ph - y.pos(t) * ph;
    lines.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}" stroke="#ddd"/>`, `<text x="${M.l - 6}" y="${(py + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  }
  if (note) lines.push(`<text x="${W - M.r}" y="${H - 6}" text-anchor="end" fill="#666">${esc(note)}</text>`);
  return lines;
}

/** series: [{name, points: [[x, y], …], dashed}] on a log or linear y axis; x is categorical by value. */
export function lineChart({ title, xLabel, yLabel, series, logY = true, note }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => Number.isFinite(v) && v > 0);
  const y = axis(Math.min(...ys, 1), Math.max(...ys, 1), logY);
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const px = (x) => M.l + (xs.length === 1 ? pw / 2 : (xs.indexOf(x) / (xs.length - 1)) * pw);
  const py = (v) => M.t + ph - y.pos(v) * ph;
  const out = frame(title, yLabel, y, note);
  for (const x of xs) out.push(`<text x="${px(x).toFixed(1)}" y="${M.t + ph + 16}" text-anchor="middle">${fmt(x)}</text>`);
  out.push(`<text x="${M.l + pw / 2}" y="${M.t + ph + 34}" text-anchor="middle">${esc(xLabel)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]) && p[1] > 0);
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''} points="${pts.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
    const lx = M.l + (i % 2) * (pw / 2);
    const ly = H - 44 + Math.floor(i / 2) * 14;
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`, `<text x="${lx + 24}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** bars: [{name, value, min, max, color?}] — one bar each, whiskers from min to max over the rounds. */
export function barChart({ title, yLabel, bars, logY = false, note }) {
  const vals = bars.flatMap((b) => [b.value, b.max]).filter((v) => Number.isFinite(v) && v > 0);
  const y = axis(Math.min(...vals, 1), Math.max(...vals, 1), logY);
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const bw = pw / Math.max(bars.length, 1);
  const py = (v) => M.t + ph - y.pos(v) * ph;
  const out = frame(title, yLabel, y, note);
  bars.forEach((b, i) => {
    const x = M.l + i * bw;
    const c = b.color ?? COLORS[i % COLORS.length];
    if (Number.isFinite(b.value) && b.value > 0) {
      out.push(`<rect x="${(x + bw * 0.15).toFixed(1)}" y="${py(b.value).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${(M.t + ph - py(b.value)).toFixed(1)}" fill="${c}" opacity="0.85"/>`);
      out.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(py(b.value) - 4).toFixed(1)}" text-anchor="middle">${fmt(b.value)}</text>`);
      if (Number.isFinite(b.min) && Number.isFinite(b.max) && b.max > b.min) {
        const cx = (x + bw / 2).toFixed(1);
        out.push(`<line x1="${cx}" x2="${cx}" y1="${py(Math.max(b.min, y.lo)).toFixed(1)}" y2="${py(b.max).toFixed(1)}" stroke="black"/>`);
      }
    }
    const words = String(b.name).split(' ');
    const lines = [];
    for (const w of words) {
      if (lines.length && (lines[lines.length - 1] + ' ' + w).length <= Math.max(8, Math.floor(bw / 6.2))) lines[lines.length - 1] += ' ' + w;
      else lines.push(w);
    }
    lines.slice(0, 5).forEach((l, j) => out.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${M.t + ph + 14 + j * 12}" text-anchor="middle">${esc(l)}</text>`));
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
