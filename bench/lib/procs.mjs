// Resident memory and CPU of the processes under test, read from /proc while a scenario runs.
import { readFileSync } from 'node:fs';
import { round } from './util.mjs';

const TICKS = 100; // USER_HZ on Linux

function readProc(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], [12] = utime, stime (the 14th and 15th of stat; the first two are before ')').
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Anonymous = the process's own memory (heap, stacks); the rest of RSS is file-backed pages of its
    // binary and libraries, shared and reclaimable (for daprd ~70 MB of its 186 MB executable).
    const anonKb = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { ticks, rssMb: rssKb / 1024, anonMb: anonKb / 1024 };
  } catch {
    return undefined; // exited
  }
}

/**
 * Samples every process named in `pids` ({name: pid}) every `intervalMs` until stop(), which returns
 * {name: {rssMb: max, anonMb: max of RssAnon, rssAvgMb, cpuPct}} — CPU in % of one core over the sampled window.
 */
export function sampleProcesses(pids, intervalMs = 250) {
  const state = new Map();
  const started = performance.now();
  for (const [name, pid] of Object.entries(pids)) {
    const first = readProc(pid);
    if (first) state.set(name, { pid, first, last: first, rss: [first.rssMb], anon: [first.anonMb] });
  }
  const timer = setInterval(() => {
    for (const s of state.values()) {
      const now = readProc(s.pid);
      if (!now) continue;
      s.last = now;
      s.rss.push(now.rssMb);
      s.anon.push(now.anonMb);
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      const out = {};
      for (const [name, s] of state) {
        const now = readProc(s.pid) ?? s.last;
        s.rss.push(now.rssMb);
        s.anon.push(now.anonMb);
        out[name] = {
          rssMb: round(Math.max(...s.rss), 1),
          anonMb: round(Math.max(...s.anon), 1),
          rssAvgMb: round(s.rss.reduce((a, b) => a + b, 0) / s.rss.length, 1),
          cpuPct: round((100 * (now.ticks - s.first.ticks)) / TICKS / seconds, 1),
        };
      }
      return out;
    },
  };
}

/** One sampled window of `ms` over the processes. */
export async function footprint(pids, ms) {
  const sampler = sampleProcesses(pids);
  await new Promise((r) => setTimeout(r, ms));
  return sampler.stop();
}
