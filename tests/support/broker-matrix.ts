// Turns `make test-brokers` results (vitest JSON reports + the fault scenarios' figures per broker
// profile) into the matrix: printed, and written to docs/broker-matrix.md.
//   node --import tsx tests/support/broker-matrix.ts <results dir> <markdown file> <broker...>
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
}

const [dirArg, target, ...brokers] = process.argv.slice(2);
if (!dirArg || !target || brokers.length === 0) throw new Error('usage: broker-matrix.ts <results dir> <markdown file> <broker...>');
const dir: string = dirArg;

const readJson = <T>(file: string): T | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined);

function counts(report: VitestReport | undefined): string {
  if (!report) return 'did not run';
  const skipped = report.numPendingTests + report.numTodoTests;
  return `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

function failures(report: VitestReport | undefined): string[] {
  return (report?.testResults ?? []).flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName));
}

interface Recorded {
  figures: Record<string, unknown>;
  notes?: string[];
}

function recorded(broker: string): Recorded[] {
  const figuresDir = path.join(dir, `${broker}-figures`);
  if (!existsSync(figuresDir)) return [];
  return readdirSync(figuresDir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => readJson<Recorded>(path.join(figuresDir, f)) ?? []);
}

/** Every figure the fault scenarios recorded for one broker, by the scenario's own labels. */
const figures = (broker: string): Record<string, unknown> => Object.assign({}, ...recorded(broker).map((r) => r.figures));
/** The stream scenario's timeline of faults (and any remedy it applied) for one broker. */
const timeline = (broker: string): string[] => recorded(broker)[0]?.notes ?? [];

const show = (v: unknown) => (v === undefined ? '–' : String(v));
const rows = brokers.map((broker) => {
  const integration = readJson<VitestReport>(path.join(dir, `${broker}-integration.json`));
  const faults = readJson<VitestReport>(path.join(dir, `${broker}-faults.json`));
  const f = figures(broker);
  const seconds = existsSync(path.join(dir, `${broker}.seconds`)) ? readFileSync(path.join(dir, `${broker}.seconds`), 'utf8').trim() : '–';
  return {
    broker,
    cells: [
      broker,
      counts(integration),
      counts(faults),
      `${show(f['task events sent (created + completed)'])} / ${show(f.lost)} / ${show(f.duplicated)}`,
      `${show(f['insights-service: completions in the read model'])} / ${show(f['insights-service: lost'])} / ${show(f['insights-service: duplicated'])}`,
      show(f['invalid event: attempts by notification-service (DROP, no retry)']),
      show(f['always-failing event: attempts (configured 1 + 3 retries)']),
      `${show(f['transient (fails twice): attempts'])} / ${show(f['transient: dead letters'])}`,
      show(f['always-failing: notifications after fixing + 2 replays']),
      seconds,
    ],
    failed: [...failures(integration), ...failures(faults)],
  };
});

const header = ['broker', 'integration suite', 'fault scenarios', 'stream: events / lost / duplicated', 'stream, insights read model: completions / lost / duplicated', 'poison (DROP): attempts', 'always failing: attempts', 'transient: attempts / dead letters', 'replay ×2: effects', 'time (s)'];
const lines = [
  '# Broker matrix',
  '',
  'Written by `make test-brokers` (scripts/test-brokers.sh): the same integration suite and the fault',
  "suite's broker-level scenarios on each broker profile, through real daprd 1.18.3 sidecars and real",
  'brokers, with no code or test changes between profiles. What each broker does differently (ordering,',
  'retries, restarts) is in [brokers.md](brokers.md).',
  `Last run: ${new Date().toISOString()}.`,
  '',
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.cells.join(' | ')} |`),
  '',
];
for (const r of rows.filter((row) => row.failed.length)) lines.push(`Failed on ${r.broker}:`, ...r.failed.map((t) => `- ${t}`), '');
lines.push('## The stream scenario, fault by fault', '');
for (const broker of brokers) lines.push(`**${broker}**`, '', ...timeline(broker).map((n) => `- ${n}`), '');
const markdown = lines.join('\n');
writeFileSync(target, markdown);
process.stdout.write(`\n${markdown}\n`);
