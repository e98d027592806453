// Writes the bench's outputs from one run: docs/benchmarks.json (everything, machine-readable),
// docs/benchmarks.md (answer first: targets and headline figures with their baselines, then each
// scenario's tables next to its plot, the method, the raw data) and docs/bench/*.svg.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { barChart, lineChart } from './svg.mjs';
import { cell, fmtNum } from './table.mjs';

const md = (columns, rows) => [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const scen = (doc, id) => doc.scenarios.find((s) => s.id === id);
const med = (s) => s?.median ?? NaN;

/** Each target of the issue: the figure, its baseline, and whether it holds (null = not measured). */
export function targets(doc) {
  const api = scen(doc, 'api-write')?.figures;
  const inv = scen(doc, 'invoke')?.figures;
  const pub = scen(doc, 'publish')?.figures;
  const del = scen(doc, 'delivery')?.figures;
  const plat = scen(doc, 'platform')?.figures;
  const at500 = scen(doc, 'platform')?.processes?.['at 500 req/s'] ?? {};
  const worst = (suffix) => Object.entries(at500).filter(([n]) => n.endsWith(suffix)).sort((a, b) => b[1].rssMb - a[1].rssMb)[0];
  const daprd = worst(' daprd');
  const app = worst(' app');
  const t = (name, value, ok, baseline = '') => ({ name, value, baseline, ok: Number.isFinite(ok === null ? NaN : 0) && ok !== null ? ok : null });
  const chk = (v, pred) => (Number.isFinite(v) ? pred(v) : null);
  const pageMin = Math.min(med(api?.pageSmallRps), med(api?.pageBigRps));
  return [
    t('domain event task change → consumer p50 ≤ 50 ms at 100 task writes/s', `${cell(plat?.domainP50At100)} ms`, chk(med(plat?.domainP50At100), (v) => v <= 50), 'delivery scenario: Dapr e2e p50 at 100 msg/s ' + cell(del?.['r100/dapr']?.p50) + ' ms'),
    t('… p99 ≤ 250 ms', `${cell(plat?.domainP99At100)} ms`, chk(med(plat?.domainP99At100), (v) => v <= 250), 'Dapr e2e p99 at 100 msg/s ' + cell(del?.['r100/dapr']?.p99) + ' ms'),
    t('≥ 500 task events/s through the outbox without growing lag', `${cell(plat?.outboxMaxSustained)} events/s`, chk(med(plat?.outboxMaxSustained), (v) => v >= 500), 'limited by the write path when writes/s ≈ events/s (see the outbox table)'),
    t('Dapr delivery p99 ≤ 2× the direct consumer at 1,000 msg/s', cell(del?.ratioP99At1000, '×'), chk(med(del?.ratioP99At1000), (v) => v <= 2), `direct p99 ${cell(del?.['r1000/direct']?.p99)} ms`),
    t('publish through Dapr ≥ 0.5× direct', cell(pub?.ratioDaprDirect, '×'), chk(med(pub?.ratioDaprDirect), (v) => v >= 0.5), `direct ${cell(pub?.direct)} msg/s`),
    t('bulk publish 100 ≥ 3× single', cell(pub?.ratioBulk100Single, '×'), chk(med(pub?.ratioBulk100Single), (v) => v >= 3), `single ${cell(pub?.daprSingle)} msg/s`),
    t('invocation adds ≤ 2 ms at p90 (1,000 req/s)', `+${cell(inv?.addedP90)} ms`, chk(med(inv?.addedP90), (v) => v <= 2), `direct p90 ${cell(inv?.directP90)} ms`),
    t('API write ≥ 0.1× bare Express (max req/s)', cell(api?.ratioMax, '×'), chk(med(api?.ratioMax), (v) => v >= 0.1), `bare ${cell(api?.bareMaxRps)} req/s`),
    t('API write p99 ≤ 50 ms at 100 req/s', `${cell(api?.platformP99At100)} ms`, chk(med(api?.platformP99At100), (v) => v <= 50), `bare p99 at 200 req/s ${cell(api?.bareP99At200)} ms`),
    t('a page of 100 tasks ≥ 300 req/s whatever the user\'s total', `${cell(api?.pageSmallRps)} (100 tasks) / ${cell(api?.pageBigRps)} (${api?.pageBigTasks ?? '?'} tasks) req/s`, chk(pageMin, (v) => v >= 300), ''),
    t('each daprd ≤ 64 MB RSS at 500 req/s', daprd ? `${daprd[1].rssMb} MB (${daprd[0]}, the largest)` : '—', daprd ? daprd[1].rssMb <= 64 : null, daprd ? `of it anonymous (heap, stacks): ${daprd[1].anonMb} MB; the rest is the 186 MB executable's pages` : ''),
    t('each Node app ≤ 90 MB RSS at 500 req/s', app ? `${app[1].rssMb} MB (${app[0]}, the largest)` : '—', app ? app[1].rssMb <= 90 : null, app ? `of it anonymous: ${app[1].anonMb} MB` : ''),
  ];
}

function charts(doc, dir) {
  const files = {};
  const note = `${doc.quick ? 'QUICK run, ' : ''}${doc.machine.cores} cores, ${doc.date.slice(0, 10)}`;
  const del = scen(doc, 'delivery');
  if (del) {
    const rates = (del.cells ?? []).filter((c) => c.rate && c.partitions && c.handlerMs === 0);
    const series = [];
    for (const [v, name] of [['dapr', 'Dapr'], ['direct', 'direct consumer']]) {
      for (const q of ['p99', 'p50']) series.push({ name: `${name} e2e ${q}`, dashed: q === 'p50', points: rates.map((c) => [c.rate, med(del.figures[`${c.id}/${v}`]?.[q])]) });
    }
    files['latency-vs-rate.svg'] = lineChart({ title: 'Delivery latency vs rate (Kafka, 4 partitions, handler 0 ms)', xLabel: 'published msg/s', yLabel: 'end-to-end latency (ms, log)', series, note });
    const bursts = (del.cells ?? []).filter((c) => c.burst);
    const short = { dapr: ['Dapr', '#1f77b4'], direct: ['direct', '#2ca02c'], bulk: ['Dapr bulk', '#ff7f0e'], 'streams-c10': ['c10', '#9467bd'], 'streams-c1': ['c1', '#8c564b'] };
    const bars = bursts.flatMap((c) => c.variants.map((v) => {
      const s = del.figures[`${c.id}/${v}`]?.delivered;
      return { name: `${c.id.replace('burst-', '').replace('rs-', 'streams ')} ${short[v]?.[0] ?? v}`, value: med(s), min: s?.min, max: s?.max, color: short[v]?.[1] };
    }));
    files['delivery-throughput.svg'] = barChart({ title: 'Delivery: msg/s drained from a burst (p = partitions, h = handler ms)', yLabel: 'msg/s (log)', bars, logY: true, note });
  }
  const pub = scen(doc, 'publish');
  if (pub) {
    const f = pub.figures;
    const bars = [['daprSingle', 'Dapr 1/call'], ['daprFetch', 'Dapr fetch 1/call'], ['daprBulk10', 'Dapr bulk 10'], ['daprBulk100', 'Dapr bulk 100'], ['direct', 'direct Node'], ['ceiling', 'Kafka perf tool']].map(([k, name]) => ({ name, value: med(f[k]), min: f[k]?.min, max: f[k]?.max }));
    files['publish-throughput.svg'] = barChart({ title: 'Publish throughput (msg/s, log scale)', yLabel: 'msg/s', bars, logY: true, note });
  }
  const api = scen(doc, 'api-write');
  if (api) {
    const f = api.figures;
    files['api-write.svg'] = barChart({ title: 'API write: max req/s', yLabel: 'req/s (log)', logY: true, note, bars: [{ name: 'platform (gateway → task-service)', value: med(f.platformMaxRps), min: f.platformMaxRps.min, max: f.platformMaxRps.max }, { name: 'bare Express', value: med(f.bareMaxRps), min: f.bareMaxRps.min, max: f.bareMaxRps.max }] });
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, svg] of Object.entries(files)) writeFileSync(path.join(dir, name), svg);
  return Object.keys(files);
}

const PLOTS = { delivery: ['latency-vs-rate.svg', 'delivery-throughput.svg'], publish: ['publish-throughput.svg'], 'api-write': ['api-write.svg'] };

export function writeReport(doc, out) {
  mkdirSync(out, { recursive: true });
  doc.targets = targets(doc);
  writeFileSync(path.join(out, 'benchmarks.json'), JSON.stringify(doc, null, 2) + '\n');
  const plots = charts(doc, path.join(out, 'bench'));
  const m = doc.machine;
  const lines = [
    `<!-- Generated by \`${doc.generatedBy}\` (bench/run.mjs); do not edit — run it again. Data: docs/benchmarks.json. -->`,
    '# Benchmarks',
    '',
    doc.quick
      ? '> **QUICK run** (`make bench QUICK=1`, what CI runs so the harness never rots): one short round per scenario. The figures show the shape, not the performance — run `make bench` on a quiet machine for numbers.'
      : '> Full run (`make bench`): a warm-up and 3 interleaved rounds per scenario; each figure is the median, with the spread (min–max over the rounds) in brackets.',
    '',
    `Run ${doc.date}, ${doc.totalSeconds} s in all, on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}. Load average at start ${m.loadAverageAtStart.join(' / ')}, at the end ${doc.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' / ')}${m.loadAverageAtStart[0] > m.cores ? ' — **the machine was busy with other work: absolute figures are low and noisy; ratios measured in the same run hold better**' : ''}.`,
    '',
    '## Targets',
    '',
    md(['target', 'measured', 'baseline / context', 'met'], doc.targets.map((t) => [t.name, t.value, t.baseline, t.ok === null ? 'not measured' : t.ok ? 'yes' : '**no**'])),
    '',
  ];
  if (doc.failures.length) lines.push('## Scenarios that failed', '', ...doc.failures.map((f) => `- ${f.id}: \`${f.error.split('\n')[0]}\``), '');
  for (const s of doc.scenarios) {
    lines.push(`## ${s.title}`, '');
    for (const t of s.tables) {
      if (t.title) lines.push(`**${t.title}**`, '');
      lines.push(md(t.columns, t.rows), '');
      if (t.note) lines.push(t.note, '');
    }
    for (const p of PLOTS[s.id] ?? []) if (plots.includes(p)) lines.push(`![${p}](bench/${p})`, '');
    lines.push(`*Method:* ${s.method} (${s.seconds} s)`, '');
    // The platform scenario's processes are its footprint table already.
    const procs = s.id === 'platform' ? [] : Object.entries(s.processes ?? {});
    for (const [when, ps] of procs) {
      lines.push(`<details><summary>Processes ${when}: RSS and CPU</summary>`, '', md(['process', 'RSS max (MB)', 'of it anonymous (MB)', 'RSS avg (MB)', 'CPU (% of a core)'], Object.entries(ps).map(([n, v]) => [n, fmtNum(v.rssMb), fmtNum(v.anonMb), fmtNum(v.rssAvgMb), fmtNum(v.cpuPct)])), '', '</details>', '');
    }
  }
  lines.push(
    '## Method',
    '',
    `- **Load generator: fortio** (\`fortio.org/fortio\` **v1.75.3**, its HTTP load engine built from Go modules by \`scripts/setup-fortio.sh\` through \`tools/fortio\`). Why: a Go client costs a fraction of the CPU a Node one (autocannon) does for the same rate, which matters when it shares 2 cores with the system under test; it holds a fixed rate without catching up after a stall (\`-nocatchup\`, so stalls show in the percentiles), and records latency in a histogram of 100 µs buckets. k6 would run JavaScript per virtual user — more CPU again. The wrapper adds one thing: one runner per user token, histograms merged, so per-user state (a user's task index) sees many users. Pub/sub load needs the send time inside each message, which no HTTP load tool writes: \`bench/apps/publisher.mjs\` does, open loop at a fixed rate.`,
    '- Baselines run in the same run, on the same machine, interleaved with what they are the baseline of (round 1: A, B; round 2: A, B; …), each after a warm-up.',
    '- Every scenario starts its own app and daprd processes (the project launcher, `tools/launcher/processes.ts`) on free 127.0.0.1 ports, with the project\'s components rendered for the bench\'s own Kafka 3.9.1 and Redis (`scripts/infra.sh`); `.run/bench/logs` keeps every log.',
    '- RSS and CPU come from `/proc/<pid>` sampled every 250 ms; CPU is % of one core over the window.',
    `- ${doc.tools.loadGenerator}; ${doc.tools.kafkaClient}; daprd ${doc.tools.daprd}; Kafka ${doc.tools.kafka}.`,
    '',
    '## Raw data',
    '',
    'Every round of every scenario, with the load generator\'s full output, is in [`benchmarks.json`](benchmarks.json) (`scenarios[].raw`); the capacity model in [`sizing.md`](sizing.md) is derived from it by `node bench/sizing.mjs`.',
    '',
  );
  writeFileSync(path.join(out, 'benchmarks.md'), lines.join('\n'));
}

/**
 * The README's "Performance" block (between <!-- perf:start … --> and <!-- perf:end -->), rewritten by
 * every full `make bench` from the same figures as the report; BENCH_NOTE adds a line about the run.
 */
export function updateReadme(doc, readme) {
  if (!existsSync(readme)) return;
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf('<!-- perf:start');
  const end = text.indexOf('<!-- perf:end -->');
  if (start < 0 || end < start) return;
  const t = Object.fromEntries(doc.targets.map((x, i) => [i, x]));
  const api = scen(doc, 'api-write')?.figures;
  const pub = scen(doc, 'publish')?.figures;
  const plat = scen(doc, 'platform')?.figures;
  const met = (x) => (x?.ok === null || x?.ok === undefined ? '—' : x.ok ? 'yes' : '**no**');
  const m = doc.machine;
  const rows = [
    ['API write, max req/s: gateway → task-service / bare Express', `${t[7]?.value} (${cell(api?.platformMaxRps)} vs ${cell(api?.bareMaxRps)} req/s)`, '≥ 0.1×', met(t[7])],
    ['API write p99 at 100 req/s', t[8]?.value, '≤ 50 ms', met(t[8])],
    ['publish, 1 per call: Dapr / direct Node producer', `${t[4]?.value} (${cell(pub?.daprSingle)} vs ${cell(pub?.direct)} msg/s)`, '≥ 0.5×', met(t[4])],
    ['bulk publish 100 / single', t[5]?.value, '≥ 3×', met(t[5])],
    ['delivery e2e p99 at 1,000 msg/s: Dapr / direct consumer', t[3]?.value, '≤ 2×', met(t[3])],
    ['invocation hop, added p90 at 1,000 req/s', t[6]?.value, '≤ 2 ms', met(t[6])],
    ['domain event p50 / p99 at 100 task writes/s', `${t[0]?.value} / ${t[1]?.value}`, '≤ 50 / 250 ms', t[0]?.ok && t[1]?.ok ? 'yes' : '**no**'],
    ['task events/s through one task-service\'s outbox', t[2]?.value, '≥ 500', met(t[2])],
    ['outbox staging partitions that keep up at full write speed', plat ? `kept up: ${(plat.outboxKeptUp ?? []).join(', ') || 'none'} (of 3, 8, 16, 32); recommended ${plat.outboxRecommendedPartitions}` : '—', '', ''],
  ];
  const block = [
    '<!-- perf:start — written by `make bench` (bench/lib/report.mjs) from docs/benchmarks.json; do not edit by hand -->',
    `Last full run: ${doc.date.slice(0, 10)}, ${m.cpuModel}, ${m.cores} cores, load average at start ${m.loadAverageAtStart[0]}${m.loadAverageAtStart[0] > m.cores ? ' (**busy machine: absolute figures low and noisy**)' : ''}.${process.env.BENCH_NOTE ? ` ${process.env.BENCH_NOTE}` : ''} Medians of 3 rounds; the spread is in the report.`,
    '',
    md(['Dapr path vs its baseline (same run)', 'measured', 'target', 'met'], rows),
    '',
  ].join('\n');
  writeFileSync(readme, text.slice(0, start) + block + text.slice(end));
}
