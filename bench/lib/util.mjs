// Small shared helpers of the bench: settings (QUICK), logging, statistics, machine facts.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** `make bench QUICK=1`: the same scenarios and report shape, one short round each (CI's smoke run). */
export const QUICK = process.env.QUICK === '1' || process.env.QUICK === 'true';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const t0 = Date.now();
export function log(...parts) {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${parts.join(' ')}\n`);
}

/** Rounds per scenario after the warm-up: 3 (1 when QUICK). */
export const ROUNDS = QUICK ? 1 : 3;
/** Seconds of one measured window at a fixed rate. */
export const WINDOW_S = QUICK ? 1 : 3;

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);

/** Median and spread (min–max) of one figure over the rounds. */
export function spread(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { median: null, min: null, max: null, rounds: values };
  return { median: round(percentile(xs, 50)), min: round(xs[0]), max: round(xs[xs.length - 1]), rounds: values.map((v) => round(v)) };
}

export function machine() {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpuModel: cpu.trim(),
    cores: os.cpus().length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    kernel: os.release(),
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => round(x)),
  };
}

/** JSON over HTTP with a timeout (the harness's control calls to its own apps). */
export async function http(method, url, body, headers = {}, timeoutMs = 120_000) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}
