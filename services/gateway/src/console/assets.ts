import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The web console's compiled files (services/gateway/web → app.js, app.css). The bundle carries them
 * inside — tools/build/build.mjs defines __CONSOLE_ASSETS__ — so the image, which holds nothing but
 * main.js, serves the console too. Run from sources (tsx, unit tests) the same build function compiles
 * them once, at start-up.
 */
declare const __CONSOLE_ASSETS__: Record<string, string> | undefined;

export interface Asset {
  type: string;
  body: Buffer;
  /** Computed once here: express would otherwise hash the whole file again on every request. */
  etag: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

let cached: Map<string, Asset> | undefined;

export function consoleAssets(): Map<string, Asset> {
  if (cached) return cached;
  const files = typeof __CONSOLE_ASSETS__ === 'undefined' ? buildFromSources() : __CONSOLE_ASSETS__;
  const assets = new Map<string, Asset>();
  for (const [name, base64] of Object.entries(files)) {
    const body = Buffer.from(base64, 'base64');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { type: TYPES[path.extname(name)] ?? 'application/octet-stream', body, etag });
  }
  cached = assets;
  return assets;
}

/** Loaded by a path computed at run time, so the bundle never pulls esbuild in (it has the define). */
function buildFromSources(): Record<string, string> {
  const builder = path.resolve(import.meta.dirname, '../../../../tools/build/console.mjs');
  const load = createRequire(import.meta.url);
  return (load(builder) as { buildConsoleAssets(): Record<string, string> }).buildConsoleAssets();
}
