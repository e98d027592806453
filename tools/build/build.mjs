// `npm run build`: each service becomes one plain-JavaScript file, services/<name>/dist/main.js, that
// `node` runs with no TypeScript tooling and no node_modules (everything it imports is bundled in).
// What ships (the image, `make run`, the integration and fault suites) is what is tested.
//
// esbuild, not tsc: the workspace packages are consumed as TypeScript sources (`.ts` imports, exports
// pointing at src/), which tsc would have to emit package by package with rewritten specifiers and a
// node_modules tree at run time; a bundle needs neither, starts faster (one file, no module
// resolution), and lets the image carry no dependencies at all. Types are still checked by `tsc
// --noEmit` (make lint / typecheck); esbuild only strips them.
//
//   node tools/build/build.mjs [service…]    (default: every services/* with src/main.ts)
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildConsoleAssets } from './console.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const all = readdirSync(path.join(root, 'services')).filter((s) => existsSync(path.join(root, 'services', s, 'src', 'main.ts')));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((s) => !all.includes(s));
if (unknown.length) {
  process.stderr.write(`unknown service(s): ${unknown.join(', ')} (have: ${all.join(', ')})\n`);
  process.exit(2);
}

/**
 * The gateway serves its API docs viewer (swagger-ui-dist) and its web console itself, and its image
 * holds nothing but main.js: so their files go into the bundle, as defines the routes read
 * (services/gateway/src/docs/docs.ts, src/console/assets.ts). The viewer's list of files is the route's
 * own (viewer-assets.json); the console is compiled from services/gateway/web (tools/build/console.mjs).
 */
function gatewayDefines() {
  const list = JSON.parse(readFileSync(path.join(root, 'services/gateway/src/docs/viewer-assets.json'), 'utf8')).files;
  const dir = path.dirname(createRequire(path.join(root, 'services/gateway/package.json')).resolve('swagger-ui-dist/package.json'));
  const assets = Object.fromEntries(Object.keys(list).map((name) => [name, readFileSync(path.join(dir, name)).toString('base64')]));
  return { __API_DOCS_ASSETS__: JSON.stringify(assets), __CONSOLE_ASSETS__: JSON.stringify(buildConsoleAssets()) };
}

const started = Date.now();
for (const service of wanted.length ? wanted : all) {
  const outdir = path.join(root, 'services', service, 'dist');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(root, 'services', service, 'src', 'main.ts')],
    outfile: path.join(outdir, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node26',
    format: 'esm',
    sourcemap: 'linked', // stack traces point at the TypeScript (node --enable-source-maps)
    legalComments: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    define: service === 'gateway' ? gatewayDefines() : {},
  });
}
process.stdout.write(`built ${(wanted.length ? wanted : all).length} service(s) into services/*/dist in ${Date.now() - started} ms\n`);
