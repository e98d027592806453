// The signed-in user as the console knows it: the JWT it sends, and what the JWT says (read, never
// verified here — the gateway verifies every call). Pure apart from the storage helpers at the end.

export interface Session {
  token: string;
  userId: string;
  roles: string[];
  /** `exp` of the token. */
  expiresAt: Date;
}

export type Decoded = { ok: true; session: Session } | { ok: false; error: string };

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Reads a pasted JWT (whitespace and a leading "Bearer " are forgiven). */
export function decodeToken(input: string, now = new Date()): Decoded {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[1]) {
    return { ok: false, error: 'This is not a JWT (three base64url parts separated by dots).' };
  }
  let payload: { sub?: unknown; exp?: unknown; roles?: unknown };
  try {
    payload = JSON.parse(base64UrlDecode(parts[1])) as typeof payload;
  } catch {
    return { ok: false, error: 'The token\'s payload is not readable JSON.' };
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, error: 'The token names no user (no "sub" claim).' };
  if (typeof payload.exp !== 'number') return { ok: false, error: 'The token has no expiry ("exp"); the gateway refuses such tokens.' };
  const expiresAt = new Date(payload.exp * 1000);
  if (expiresAt <= now) return { ok: false, error: `The token expired at ${expiresAt.toISOString()}.` };
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  return { ok: true, session: { token, userId: payload.sub, roles, expiresAt } };
}

export const isAdmin = (s: Session | undefined) => s?.roles.includes('admin') ?? false;

/** The longest delay a browser timer holds (~24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Milliseconds until the console should sign out by itself: when the token expires (the gateway would
 * refuse every call after that). Undefined beyond what a timer can hold: the first 401 signs out then.
 */
export function msUntilExpiry(s: Session, now = new Date()): number | undefined {
  const ms = Math.max(0, s.expiresAt.getTime() - now.getTime());
  return ms > MAX_TIMER_MS ? undefined : ms;
}

// sessionStorage: the sign-in lasts as long as the tab, and another tab can sign in as someone else.
const KEY = 'todo-console.token';

export function loadSession(storage: Storage = sessionStorage, now = new Date()): Session | undefined {
  const token = storage.getItem(KEY);
  if (!token) return undefined;
  const decoded = decodeToken(token, now);
  if (decoded.ok) return decoded.session;
  storage.removeItem(KEY);
  return undefined;
}

export function saveSession(session: Session | undefined, storage: Storage = sessionStorage): void {
  if (session) storage.setItem(KEY, session.token);
  else storage.removeItem(KEY);
}
