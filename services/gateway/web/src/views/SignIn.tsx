import { useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import type { Problem } from '../api/problem.ts';
import { decodeToken, type Session } from '../session.ts';
import { Field, ProblemView, describedBy } from './common.tsx';

interface Props {
  /** The gateway offers dev sign-in to this caller (DEV_LOGIN=1 and a loopback caller). */
  devLogin: boolean;
  api: Api;
  onSignedIn: (session: Session) => void;
  notice?: string | undefined;
}

interface DevTokenAnswer {
  token: string;
}

/** Dev sign-in (pick a user; the gateway mints the token) when offered, and always: paste a JWT. */
export function SignIn({ devLogin, api, onSignedIn, notice }: Props) {
  const [userId, setUserId] = useState('alice');
  const [admin, setAdmin] = useState(false);
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  /** A token is taken only after the gateway accepted it once (a cheap authenticated read). */
  async function accept(token: string) {
    const decoded = decodeToken(token);
    if (!decoded.ok) {
      setPasteError(decoded.error);
      return;
    }
    try {
      await api.get('/api/notifications?limit=1', { token: decoded.session.token });
      onSignedIn(decoded.session);
    } catch (err) {
      setProblem(asProblem(err));
    }
  }

  async function devSignIn(e: Event) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await api.post<DevTokenAnswer>('/console/dev-token', { body: { userId: userId.trim(), admin } });
      await accept(answer.token);
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function pasteSignIn(e: Event) {
    e.preventDefault();
    setPasteError(undefined);
    setProblem(undefined);
    setBusy(true);
    try {
      await accept(pasted);
    } finally {
      setBusy(false);
    }
  }

  const pasteErrors = pasteError ? [pasteError] : [];
  return (
    <main class="sign-in" id="main">
      <h1>Todo console</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      {problem && <ProblemView problem={problem} />}
      {devLogin && (
        <form onSubmit={devSignIn} class="card" aria-labelledby="dev-sign-in">
          <h2 id="dev-sign-in">Development sign-in</h2>
          <p class="muted">The gateway runs with DEV_LOGIN=1: pick any user and it signs a token for you.</p>
          <Field id="dev-user" label="User id">
            <input id="dev-user" name="userId" value={userId} required maxLength={64} autoComplete="username" onInput={(e) => setUserId(e.currentTarget.value)} />
          </Field>
          <div class="check">
            <input id="dev-admin" type="checkbox" checked={admin} onChange={(e) => setAdmin(e.currentTarget.checked)} />
            <label for="dev-admin">Admin (may handle dead letters)</label>
          </div>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      )}
      <form onSubmit={pasteSignIn} class="card" aria-labelledby="paste-sign-in">
        <h2 id="paste-sign-in">Sign in with a token</h2>
        <p class="muted">
          Paste a JWT for this gateway (HS256, with <code>sub</code>, <code>exp</code>, its issuer and audience). On a developer machine: <code>make token USER=alice</code>.
        </p>
        <Field id="token" label="Token" errors={pasteErrors}>
          <textarea id="token" name="token" rows={4} required spellcheck={false} value={pasted} onInput={(e) => setPasted(e.currentTarget.value)} {...describedBy('token', pasteErrors)} />
        </Field>
        <button type="submit" disabled={busy}>Use token</button>
      </form>
    </main>
  );
}
