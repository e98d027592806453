import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { SignJWT } from 'jose';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { FakeInvoker, FakeSidecar, jsonResponse } from '@todo/dapr/fakes';
import { createLogger, routeTable } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';

const KEY = new TextEncoder().encode('unit-test-signing-key-unit-test-signing-key');
const POLICY = { issuer: 'urn:test:issuer', audience: 'urn:test:api', clockSkewSeconds: 30 };
const token = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer(POLICY.issuer).setAudience(POLICY.audience).setIssuedAt().setExpirationTime('5m').sign(KEY);

function setup(invoker = new FakeInvoker()) {
  return { app: buildApp({ logger: createLogger('gateway', 'silent'), invoker, sidecar: new FakeSidecar(), signingKey: async () => KEY, tokenPolicy: POLICY }), invoker };
}

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `/api/tasks/:id` → `/api/tasks/{id}` */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

describe('GET /api/openapi.json', () => {
  it('is served without a token, as OpenAPI 3.1 with the bearer scheme', async () => {
    const res = await request(setup().app).get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.body as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }));
  });

  it('documents every route of the gateway, and nothing the gateway does not serve', async () => {
    const { app } = setup();
    const doc = (await request(app).get('/api/openapi.json')).body as Doc;
    const routes = new Set(routeTable(app).filter((r) => r.path.startsWith('/api')).map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`));
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${p}`)));
    expect(routes.size).toBeGreaterThan(15);
    expect([...routes].filter((r) => !documented.has(r))).toEqual([]); // a route nobody documented
    expect([...documented].filter((r) => !routes.has(r))).toEqual([]); // a promise nothing keeps
  });

  it('leaves / to the web console: outside /api only the console and the probes', () => {
    const outside = routeTable(setup().app).filter((r) => !r.path.startsWith('/api') && !['/healthz', '/readyz', '/metrics'].includes(r.path));
    expect(outside.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual(['GET /', 'GET /console/assets/:asset', 'POST /console/dev-token']);
  });

  it('gives every operation its problem responses as problem+json, and every schema compiles (JSON Schema 2020-12)', async () => {
    const doc = (await request(setup().app).get('/api/openapi.json')).body as Doc;
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(`doc#/components/schemas/${name}`)).not.toThrow();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.operationId, `${method} ${p}`).toBeTruthy();
        expect(op.responses['405'], `${method} ${p} documents 405`).toBeTruthy();
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400 && !(p === '/api/health' && status === '503')) {
            expect(Object.keys((response as { content: object }).content), `${method} ${p} ${status}`).toEqual(['application/problem+json']);
          }
        }
        if (!['/api/health', '/api/openapi.json', '/api/docs', '/api/docs/{asset}'].includes(p)) expect(op.responses['401'], `${method} ${p}`).toBeTruthy();
      }
    }
  });
});

describe('GET /api/docs', () => {
  it('renders the document with Swagger UI served by the gateway itself (no CDN: the page may load nothing from elsewhere)', async () => {
    const { app } = setup();
    const page = await request(app).get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url).toMatch(/^\/api\/docs\//);
      expect((await request(app).get(url)).status, url).toBe(200);
    }
    const init = await request(app).get('/api/docs/docs.js').expect(200);
    expect(init.text).toContain("url: '/api/openapi.json'");
    expect(init.text).toContain('validatorUrl: null');
    expect((await request(app).get('/api/docs/nope.js')).status).toBe(404);
  });
});

describe('ids and methods', () => {
  it('an id that cannot name a task or dead letter is a 404 without asking any service (no path games)', async () => {
    const { app, invoker } = setup(new FakeInvoker().on('task-service', () => jsonResponse(200, {})));
    const auth = `Bearer ${await token()}`;
    for (const id of ['summary', '..', 'not-a-task', '%2E%2E%2Fseries']) {
      const res = await request(app).get(`/api/tasks/${id}`).set('authorization', auth);
      expect(res.status, id).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await request(app).post('/api/admin/dead-letters/xyz/replay').set('authorization', `Bearer ${await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('ops').setIssuer(POLICY.issuer).setAudience(POLICY.audience).setExpirationTime('5m').sign(KEY)}`)).status).toBe(404);
    expect(invoker.calls).toHaveLength(0);
    await request(app).get('/api/tasks/0b8f6c1e-1a2b-4c3d-8e9f-0123456789ab').set('authorization', auth).expect(200);
    expect(invoker.calls[0]?.request.path).toBe('tasks/0b8f6c1e-1a2b-4c3d-8e9f-0123456789ab');
  });

  it('a method a path does not have is a 405 problem with Allow', async () => {
    const res = await request(setup().app).put('/api/tasks').set('authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST, GET, HEAD');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
