import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi, type Api } from './api/client.ts';
import { useNotifications } from './notifications/use-notifications.ts';
import { ROUTE_TITLES, hrefOf, parseRoute, type Route } from './route.ts';
import { isAdmin, loadSession, msUntilExpiry, saveSession, type Session } from './session.ts';
import { Chat } from './views/Chat.tsx';
import { Dashboard } from './views/Dashboard.tsx';
import { DeadLetters } from './views/DeadLetters.tsx';
import { Notifications } from './views/Notifications.tsx';
import { SignIn } from './views/SignIn.tsx';
import { Tasks } from './views/Tasks.tsx';

/** Signed out → the sign-in page; signed in → the console. A 401 from any call signs out. */
export function App({ devLogin }: { devLogin: boolean }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [notice, setNotice] = useState<string>();
  const current = useRef(session);
  current.current = session;

  const signOut = (why?: string) => {
    saveSession(undefined);
    setSession(undefined);
    setNotice(why);
  };
  const api = useMemo(
    () => createApi({ token: () => current.current?.token, onUnauthorized: (p) => signOut(`Signed out: the gateway refused the token (${p.detail ?? p.title}).`) }),
    [],
  );
  const signIn = (s: Session) => {
    saveSession(s);
    setSession(s);
    setNotice(undefined);
  };

  // The token's own end: sign out then, rather than let every call fail with 401.
  useEffect(() => {
    const ms = session && msUntilExpiry(session);
    if (!session || ms === undefined) return;
    const t = setTimeout(() => signOut(`Signed out: your token expired at ${session.expiresAt.toLocaleString()}.`), ms);
    return () => clearTimeout(t);
  }, [session]);

  if (!session) return <SignIn devLogin={devLogin} api={api} onSignedIn={signIn} notice={notice} />;
  return <Console key={session.token} session={session} api={api} onSignOut={() => signOut('Signed out.')} />;
}

function useRoute(admin: boolean): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return parseRoute(hash, admin);
}

function Console({ session, api, onSignOut }: { session: Session; api: Api; onSignOut: () => void }) {
  const admin = isAdmin(session);
  const route = useRoute(admin);
  const notifications = useNotifications(api);
  const first = useRef(true);

  // A new page: its title in the tab, and focus on its heading (keyboard and screen-reader users land there).
  useEffect(() => {
    document.title = `${ROUTE_TITLES[route]} · Todo console`;
    if (first.current) first.current = false;
    else document.getElementById('page-title')?.focus();
  }, [route]);
  // A toast lasts ten seconds.
  useEffect(() => {
    if (!notifications.latest) return;
    const t = setTimeout(notifications.dismissLatest, 10_000);
    return () => clearTimeout(t);
  }, [notifications.latest]);

  const routes: Route[] = admin ? ['tasks', 'chat', 'notifications', 'dashboard', 'dead-letters'] : ['tasks', 'chat', 'notifications', 'dashboard'];
  return (
    <>
      {/* Not a hash link: #main would be read as a route. */}
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('page-title')?.focus(); }}>Skip to content</a>
      <header class="top">
        <div class="brand">Todo console</div>
        <nav aria-label="Pages">
          <ul>
            {routes.map((r) => (
              <li key={r}>
                <a href={hrefOf(r)} aria-current={r === route ? 'page' : undefined}>
                  {ROUTE_TITLES[r]}
                  {r === 'notifications' && notifications.unseen > 0 && <span class="count" aria-label={`${notifications.unseen} new`}>{notifications.unseen}</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.userId}
            {admin && <span class="badge">admin</span>}
          </span>
          <button type="button" class="secondary" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <div class="toast-region" role="status" aria-live="polite">
        {notifications.latest && route !== 'notifications' && (
          <div class="toast">
            <span>New notification: <strong>{notifications.latest.title}</strong> — {notifications.latest.message}</span>
            <button type="button" class="secondary" onClick={notifications.dismissLatest} aria-label="Dismiss notification">×</button>
          </div>
        )}
      </div>
      <main id="main">
        {route === 'tasks' && <Tasks api={api} onActivity={notifications.pollNow} />}
        {route === 'chat' && <Chat api={api} onActivity={notifications.pollNow} />}
        {route === 'notifications' && (
          <Notifications items={notifications.items} loaded={notifications.loaded} problem={notifications.problem} onCheckNow={notifications.pollNow} onSeen={notifications.markSeen} />
        )}
        {route === 'dashboard' && <Dashboard api={api} />}
        {route === 'dead-letters' && <DeadLetters api={api} />}
      </main>
    </>
  );
}
