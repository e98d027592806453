// The web console's build (services/gateway/web): Preact + TSX → one minified app.js and one app.css.
// esbuild compiles it in memory; tools/build/build.mjs embeds the result in the gateway's bundle (the
// image holds nothing but dist/main.js), and the gateway run from sources (tsx, unit tests) calls this
// same function at start-up (services/gateway/src/console/assets.ts), so both serve the same build.
import { buildSync } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const CONSOLE_SOURCE = path.join(root, 'services/gateway/web');

/** The console's files as { name: base64 }, the shape the gateway's `__CONSOLE_ASSETS__` define holds. */
export function buildConsoleAssets() {
  const result = buildSync({
    entryPoints: { app: path.join(CONSOLE_SOURCE, 'src/main.tsx') },
    outdir: '/console', // nothing is written: only names the outputs
    write: false,
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: path.join(CONSOLE_SOURCE, 'tsconfig.json'),
  });
  const assets = {};
  for (const file of result.outputFiles) assets[path.basename(file.path)] = Buffer.from(file.contents).toString('base64');
  if (!assets['app.js'] || !assets['app.css']) throw new Error(`the console build gave ${Object.keys(assets).join(', ')}, not app.js and app.css`);
  return assets;
}
