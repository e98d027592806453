// Placeholder; replaced below.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
export function writeReport(doc, out) {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'benchmarks.json'), JSON.stringify(doc, null, 2));
}
