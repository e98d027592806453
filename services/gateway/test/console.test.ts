import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Request } from 'express';
import { FakeInvoker, FakeSidecar, jsonResponse } from '@todo/dapr/fakes';
import { createLogger } from '@todo/service-kit';
import { buildApp } from '../src/app.ts';
import { isLoopbackCaller } from '../src/console/dev-login.ts';

const KEY = new TextEncoder().encode('unit-test-signing-key-unit-test-signing-key');
const POLICY = { issuer: 'urn:test:issuer', audience: 'urn:test:api', clockSkewSeconds: 30 };

function setup(devLogin: boolean, invoker = new FakeInvoker()) {
  const app = buildApp({ logger: createLogger('gateway', 'silent'), invoker, sidecar: new FakeSidecar(), signingKey: async () => KEY, tokenPolicy: POLICY, devLogin });
  return { app, invoker };
}

describe('GET / (the web console)', () => {
  it('when the page is fetched, then it is HTML whose CSP allows only this origin and no inline script', async () => {
    const { app } = setup(false);
    const page = await request(app).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/console\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });

  it('when the page\'s script and stylesheet are fetched, then the gateway serves both itself (no CDN)', async () => {
    const { app } = setup(false);
    const page = await request(app).get('/').expect(200);
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'));
    expect(urls.sort()).toEqual(['/console/assets/app.css', '/console/assets/app.js']);
    const js = await request(app).get('/console/assets/app.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text.length).toBeGreaterThan(10_000);
    expect(js.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i); // nothing fetched from elsewhere
    const css = await request(app).get('/console/assets/app.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('when the browser already has the script, then 304 (its ETag), and the ETag differs per file', async () => {
    const { app } = setup(false);
    const js = await request(app).get('/console/assets/app.js').expect(200);
    const css = await request(app).get('/console/assets/app.css').expect(200);
    expect(js.headers.etag).toBeTruthy();
    expect(js.headers.etag).not.toBe(css.headers.etag);
    await request(app).get('/console/assets/app.js').set('if-none-match', js.headers.etag!).expect(304);
  });

  it('when an unknown console file is asked for, then 404 problem+json', async () => {
    const res = await request(setup(false).app).get('/console/assets/nope.js');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when DEV_LOGIN is off, then the page does not offer dev sign-in; when on, it does (to a loopback caller)', async () => {
    expect((await request(setup(false).app).get('/')).text).toContain('data-dev-login="off"');
    expect((await request(setup(true).app).get('/')).text).toContain('data-dev-login="on"');
    expect((await request(setup(true).app).get('/').set('x-forwarded-for', '203.0.113.9')).text).toContain('data-dev-login="off"');
  });
});

describe('POST /console/dev-token', () => {
  it('when DEV_LOGIN is off, then 404 problem+json and no token', async () => {
    const res = await request(setup(false).app).post('/console/dev-token').send({ userId: 'alice' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.token).toBeUndefined();
  });

  it('when DEV_LOGIN is on and the caller is on loopback, then a token the gateway itself accepts, for that user', async () => {
    const invoker = new FakeInvoker().on('task-service', () => jsonResponse(200, { items: [], next: null }));
    const { app } = setup(true, invoker);
    const res = await request(app).post('/console/dev-token').send({ userId: 'alice' }).expect(200);
    expect(res.body).toMatchObject({ userId: 'alice', roles: [] });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    await request(app).get('/api/tasks').set('authorization', `Bearer ${res.body.token}`).expect(200);
    expect(invoker.calls[0]?.request.headers?.['x-user-id']).toBe('alice');
    // not an admin: the admin API refuses it
    await request(app).get('/api/admin/dead-letters').set('authorization', `Bearer ${res.body.token}`).expect(403);
  });

  it('when admin is asked for, then the token carries the admin role', async () => {
    const invoker = new FakeInvoker().on('dead-letter-service', () => jsonResponse(200, { items: [], next: null }));
    const { app } = setup(true, invoker);
    const res = await request(app).post('/console/dev-token').send({ userId: 'ops', admin: true }).expect(200);
    expect(res.body.roles).toEqual(['admin']);
    await request(app).get('/api/admin/dead-letters').set('authorization', `Bearer ${res.body.token}`).expect(200);
  });

  it('when the Host is not a loopback name (DNS rebinding: another site\'s name pointed at 127.0.0.1), then 404', async () => {
    const { app } = setup(true);
    expect((await request(app).post('/console/dev-token').set('host', 'evil.example:8080').send({ userId: 'alice' })).status).toBe(404);
    expect((await request(app).get('/').set('host', 'evil.example')).text).toContain('data-dev-login="off"');
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'todo.localhost']) {
      expect((await request(app).post('/console/dev-token').set('host', host).send({ userId: 'alice' })).status, host).toBe(200);
    }
  });

  it('when the request came through a proxy (Forwarded / X-Forwarded-For), then 404: the caller may not be local', async () => {
    const { app } = setup(true);
    expect((await request(app).post('/console/dev-token').set('x-forwarded-for', '203.0.113.9').send({ userId: 'alice' })).status).toBe(404);
    expect((await request(app).post('/console/dev-token').set('forwarded', 'for=203.0.113.9').send({ userId: 'alice' })).status).toBe(404);
  });

  // A real connection to a non-loopback address of this machine, when it has one.
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.runIf(external)(`when the caller is not on loopback (a real connection to ${external}), then 404`, async () => {
    const { app } = setup(true);
    const server = app.listen(0, external!);
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      // Host: localhost, so that only the socket's address can be what refuses it.
      const res = await request(`http://${external}:${port}`).post('/console/dev-token').set('host', `localhost:${port}`).send({ userId: 'alice' });
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await request(`http://${external}:${port}`).get('/').set('host', `localhost:${port}`)).text).toContain('data-dev-login="off"');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it.each([
    ['no body', undefined],
    ['an empty user id', { userId: '' }],
    ['a user id with a space', { userId: 'al ice' }],
    ['a user id of 65 characters', { userId: 'a'.repeat(65) }],
    ['admin that is not a boolean', { userId: 'alice', admin: 'yes' }],
    ['an unknown field', { userId: 'alice', roles: ['admin'] }],
    ['an array', [{ userId: 'alice' }]],
  ])('when the body has %s, then 400 problem+json', async (_name, body) => {
    const req = request(setup(true).app).post('/console/dev-token');
    const res = body === undefined ? await req : await req.send(body as object);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when the body is malformed JSON, then 400; when it is not JSON, then 415', async () => {
    const { app } = setup(true);
    expect((await request(app).post('/console/dev-token').set('content-type', 'application/json').send('{"userId":')).status).toBe(400);
    expect((await request(app).post('/console/dev-token').set('content-type', 'text/plain').send('alice')).status).toBe(415);
  });

  it('when it is asked with GET, then 405 problem+json', async () => {
    const res = await request(setup(true).app).get('/console/dev-token');
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('isLoopbackCaller', () => {
  const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('when the peer is %s, then it is loopback', (address) => {
    expect(isLoopbackCaller(req(address))).toBe(true);
  });
  it.each(['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '', '127.0.0.1.evil'])('when the peer is %j, then it is not', (address) => {
    expect(isLoopbackCaller(req(address))).toBe(false);
  });
  it('when a proxy forwarded the request, then it is not (whatever the socket says)', () => {
    expect(isLoopbackCaller(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
  });
});
