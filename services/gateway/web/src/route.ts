// Hash routes (#/tasks …): every page has its own address, back/forward work, and the gateway serves
// one page at `/` with no server-side routes to keep in step.
export const ROUTES = ['tasks', 'chat', 'notifications', 'dashboard', 'dead-letters'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_TITLES: Record<Route, string> = {
  tasks: 'Tasks',
  chat: 'Chat',
  notifications: 'Notifications',
  dashboard: 'Dashboard',
  'dead-letters': 'Dead letters',
};

/** `#/chat` → chat; anything unknown → tasks. Dead letters only for admins. */
export function parseRoute(hash: string, admin: boolean): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  const route = (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'tasks';
  return route === 'dead-letters' && !admin ? 'tasks' : route;
}

export const hrefOf = (route: Route) => `#/${route}`;
