// Runs fortio-load (tools/fortio: fortio 1.75.3's HTTP load engine, scripts/setup-fortio.sh) and returns
// its JSON: {qps, count, codes, errors, ms: {p50, p90, p99, p99.9, max, avg}}.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FORTIO = process.env.FORTIO_LOAD;

let files = 0;
/** Writes `content` to a file under dir and returns its path (payloads, token lists). */
export function tempFile(dir, name, content) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${files++}-${name}`);
  writeFileSync(file, content);
  return file;
}

/**
 * One load run. qps 0 = as fast as the target answers with `c` connections (closed loop); otherwise the
 * rate is held without catching up after a slow period (fortio -nocatchup), so a stall shows in the
 * percentiles instead of being hidden by a burst afterwards.
 */
export async function fortio({ url, method, payloadFile, contentType, headers = [], tokensFile, tokenHeader, qps = 0, c = 8, seconds = 3, timeoutS = 10 }) {
  if (!FORTIO) throw new Error('FORTIO_LOAD is not set (scripts/bench.sh sets it from scripts/setup-fortio.sh)');
  const args = ['-url', url, '-qps', String(qps), '-c', String(c), '-t', `${seconds}s`, '-timeout', `${timeoutS}s`];
  if (method) args.push('-X', method);
  if (payloadFile) args.push('-payload-file', payloadFile);
  if (contentType) args.push('-content-type', contentType);
  if (tokensFile) args.push('-tokens-file', tokensFile);
  if (tokenHeader) args.push('-token-header', tokenHeader);
  for (const h of headers) args.push('-H', h);
  const { stdout } = await run(FORTIO, args, { maxBuffer: 16 * 1024 * 1024, timeout: (seconds + timeoutS + 30) * 1000 });
  return JSON.parse(stdout.trim().split('\n').pop());
}
