import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPorts, holderOf, infraPorts, takenPorts } from '../../tools/launcher/ports.ts';
import { readyTable } from '../../tools/launcher/ready-table.ts';
import { readRunFile } from '../../tools/launcher/run-file.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const specs = readRunFile(path.join(ROOT, 'dapr.yaml'));

let server: Server | undefined;
afterEach(() => server?.close());

describe('make run: ports', () => {
  it('lists every port of dapr.yaml and the infrastructure, each once', () => {
    const uses = [...infraPorts('kafka'), ...appPorts(specs)];
    expect(uses.length).toBe(4 + specs.length * 5);
    expect(new Set(uses.map((u) => u.port)).size).toBe(uses.length);
    expect(uses).toContainEqual({ port: 8080, what: 'gateway app' });
    expect(uses).toContainEqual({ port: 19411, what: 'Zipkin' });
  });

  it('finds a taken port and names the process listening on it', async () => {
    server = createServer();
    const port = await new Promise<number>((r) => server!.listen(0, '127.0.0.1', () => r((server!.address() as { port: number }).port)));
    const taken = await takenPorts([{ port, what: 'test' }]);
    expect(taken).toHaveLength(1);
    expect(taken[0]!.holder?.pid).toBe(process.pid);
    expect(holderOf(port)?.command).toContain('node');
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await takenPorts([{ port, what: 'test' }])).toEqual([]);
  });
});

describe('make run: the closing table', () => {
  it('says where the API, its docs, the console, Zipkin and every app with its metrics are', () => {
    const text = readyTable(specs, 'kafka', { logDir: '/x/logs', runDir: '/x' }).join('\n');
    expect(text).toContain('http://127.0.0.1:8080/api/docs');
    expect(text).toContain('http://127.0.0.1:8080/api/openapi.json');
    expect(text).toMatch(/web console\s+http:\/\/127\.0\.0\.1:8080\/ .*dev sign-in/); // dapr.yaml turns DEV_LOGIN on
    expect(text).toContain('http://127.0.0.1:19411/zipkin/');
    for (const s of specs) {
      expect(text).toContain(`http://127.0.0.1:${s.appPort}/metrics`);
      expect(text).toContain(`http://127.0.0.1:${s.metricsPort}/metrics`);
    }
  });
});
