// Start-up time and RSS of each service on its own, two ways side by side (bench/startup.mjs): the
// shipped bundle (services/*/dist/main.js) and the sources through tsx (`npm run dev`).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { cell } from '../lib/table.mjs';
import { QUICK, ROOT, ROUNDS, log, spread } from '../lib/util.mjs';

const exec = promisify(execFile);

export async function run(_ctx) {
  log('startup: each service alone, dist and tsx');
  const { stdout } = await exec(process.execPath, [path.join(ROOT, 'bench/startup.mjs'), `dist=${process.execPath}:dist`, `tsx=${process.execPath}:tsx`], {
    cwd: ROOT,
    env: { ...process.env, ROUNDS: String(ROUNDS), SETTLE_MS: QUICK ? '100' : '500', ALL_ROUNDS: '1' },
    maxBuffer: 16 << 20,
  });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const services = [...new Set(lines.map((l) => l.service))];
  const get = (label, service) => lines.find((l) => l.label === label && l.service === service);
  const f = {};
  for (const s of services) {
    const d = get('dist', s);
    const t = get('tsx', s);
    f[s] = { distMs: spread(d.rounds.map((r) => r.readyMs)), distRssMb: spread(d.rounds.map((r) => r.rssMb)), tsxMs: spread(t.rounds.map((r) => r.readyMs)), tsxRssMb: spread(t.rounds.map((r) => r.rssMb)) };
  }
  return {
    id: 'startup',
    title: 'Start-up: each service alone, to its first 200 on /healthz',
    figures: f,
    tables: [
      {
        columns: ['service', 'dist bundle: ready (ms)', 'dist: RSS (MB)', 'tsx sources: ready (ms)', 'tsx: RSS (MB)'],
        rows: services.map((s) => [s, cell(f[s].distMs), cell(f[s].distRssMb), cell(f[s].tsxMs), cell(f[s].tsxRssMb)]),
      },
    ],
    processes: {},
    method: `bench/startup.mjs: each service started ${ROUNDS} time(s) per way with no sidecar (every app answers /healthz before it talks to daprd), ms to the first 200, RSS ${QUICK ? 0.1 : 0.5} s after it.`,
    raw: { lines },
  };
}
