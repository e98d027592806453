import { describe, expect, it } from 'vitest';
import { UnsecuredJWT } from 'jose';
import { signDevToken } from '../../src/auth/dev-token.ts';
import { decodeToken, isAdmin, loadSession, msUntilExpiry, saveSession } from '../src/session.ts';

class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}
const storage = () => new MemoryStorage() as unknown as Storage;

describe('decodeToken', () => {
  it('when the token is one the gateway mints, then user, roles and expiry are read from it', async () => {
    const token = await signDevToken('k'.repeat(32), 'alice', { admin: true, expiresIn: '1h' });
    const decoded = decodeToken(`  Bearer ${token}\n`);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.session).toMatchObject({ token, userId: 'alice', roles: ['admin'] });
    expect(decoded.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(isAdmin(decoded.session)).toBe(true);
  });

  it('when the user id has non-ASCII letters, then it is read as UTF-8', async () => {
    const decoded = decodeToken(await signDevToken('k'.repeat(32), 'zoë'));
    expect(decoded.ok && decoded.session.userId).toBe('zoë');
  });

  it.each([
    ['not a JWT', 'hello', /not a JWT/],
    ['two parts', 'a.b', /not a JWT/],
    ['a payload that is not JSON', 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig', /not readable JSON/],
  ])('when the input is %s, then it is refused with a reason', (_name, input, reason) => {
    const decoded = decodeToken(input);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(reason);
  });

  it('when the token has no exp, no sub, or expired, then it is refused before any call', async () => {
    const noExp = new UnsecuredJWT({ sub: 'alice' }).encode();
    const noSub = new UnsecuredJWT({}).setExpirationTime('1h').encode();
    const expired = await signDevToken('k'.repeat(32), 'alice', { expiresIn: Math.floor(Date.now() / 1000) - 10 });
    expect(decodeToken(noExp)).toMatchObject({ ok: false, error: expect.stringMatching(/no expiry/) });
    expect(decodeToken(noSub)).toMatchObject({ ok: false, error: expect.stringMatching(/no user/) });
    expect(decodeToken(expired)).toMatchObject({ ok: false, error: expect.stringMatching(/expired/) });
  });
});

describe('session storage', () => {
  it('when a session is saved, then it is loaded again; an expired one is dropped', async () => {
    const s = storage();
    const token = await signDevToken('k'.repeat(32), 'bob', { expiresIn: '1h' });
    const decoded = decodeToken(token);
    if (!decoded.ok) throw new Error(decoded.error);
    saveSession(decoded.session, s);
    expect(loadSession(s)?.userId).toBe('bob');
    expect(loadSession(s, new Date(Date.now() + 2 * 3600_000))).toBeUndefined();
    expect(loadSession(s)).toBeUndefined(); // removed when found expired
  });
});

describe('msUntilExpiry', () => {
  const session = (expiresAt: Date) => ({ token: 't', userId: 'u', roles: [], expiresAt });
  const now = new Date('2030-01-01T00:00:00Z');
  it('when the token expires in an hour, then the console signs out in an hour; an expired one at once', () => {
    expect(msUntilExpiry(session(new Date('2030-01-01T01:00:00Z')), now)).toBe(3_600_000);
    expect(msUntilExpiry(session(new Date('2029-12-31T00:00:00Z')), now)).toBe(0);
  });
  it('when it expires in a year, then no delay (a timer that long would fire at once)', () => {
    expect(msUntilExpiry(session(new Date('2031-01-01T00:00:00Z')), now)).toBeUndefined();
  });
});
