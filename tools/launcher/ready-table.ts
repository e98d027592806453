// The table `make run` ends with: what runs where, and where to look.
import type { Broker } from './broker.ts';
import { infraPorts } from './ports.ts';
import type { AppSpec } from './processes.ts';

/** What runs where, printed once everything is ready (every server listens on 127.0.0.1 only). */
export function readyTable(specs: AppSpec[], broker: Broker, dirs: { logDir: string; runDir: string }): string[] {
  const url = (port: number, p = '') => `http://127.0.0.1:${port}${p}`;
  const gateway = specs.find((s) => s.appId === 'gateway');
  const infra = infraPorts(broker);
  const zipkin = infra.find((p) => p.what === 'Zipkin')!.port;
  const lines = [''];
  if (gateway) {
    lines.push(
      `  API            ${url(gateway.appPort, '/api')}   (a token: make token USER=alice; try ${url(gateway.appPort, '/api/health')})`,
      `  API docs       ${url(gateway.appPort, '/api/docs')}   (OpenAPI 3.1: ${url(gateway.appPort, '/api/openapi.json')})`,
      `  web console    ${url(gateway.appPort, '/')}   (${gateway.env?.DEV_LOGIN === '1' ? 'dev sign-in: pick any user, tick admin for dead letters' : 'sign in with a token: make token USER=alice'})`,
    );
  }
  lines.push(`  traces         ${url(zipkin, '/zipkin/')}   (Zipkin; search a response's x-trace-id)`, '');
  lines.push('  app                    app port   app metrics                       daprd HTTP   daprd metrics');
  for (const s of specs) {
    lines.push(`  ${s.appId.padEnd(22)} ${String(s.appPort).padEnd(10)} ${url(s.appPort, '/metrics').padEnd(33)} ${String(s.daprHttpPort).padEnd(12)} ${url(s.metricsPort, '/metrics')}`);
  }
  lines.push(
    '',
    `  infrastructure ${infra.filter((p) => !p.what.includes('(distribution')).map((p) => `${p.what} :${p.port}`).join(', ')}`,
    `  logs           ${dirs.logDir} (apps *.app.log, sidecars *.daprd.log; infrastructure: ${dirs.runDir}/*.log)`,
    '  stop           Ctrl-C, or make stop from another terminal',
  );
  return lines;
}

