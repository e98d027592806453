// `npm run contracts`: writes packages/contracts/generated/ from the zod schemas (generate.ts), removing
// files that are no longer generated. `npm run contracts -- --check` only compares and exits 1 on drift.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR, ROOT, generateContracts } from './generate.ts';

const check = process.argv.includes('--check');
const dir = path.join(ROOT, GENERATED_DIR);
const wanted = generateContracts();
const existing = (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; name: string; parentPath: string }>)
  .filter((e) => e.isFile())
  .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
const stale = existing.filter((f) => !wanted.has(f));
const changed = [...wanted].filter(([f, content]) => {
  try {
    return readFileSync(path.join(dir, f), 'utf8') !== content;
  } catch {
    return true;
  }
}).map(([f]) => f);

if (check) {
  for (const f of [...changed, ...stale]) process.stderr.write(`drift: ${GENERATED_DIR}/${f}\n`);
  process.exit(changed.length + stale.length ? 1 : 0);
}
for (const f of stale) rmSync(path.join(dir, f));
for (const f of changed) {
  mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  writeFileSync(path.join(dir, f), wanted.get(f)!);
}
process.stdout.write(`${GENERATED_DIR}: ${wanted.size} files (${changed.length} written, ${stale.length} removed)\n`);
