// problem+json (RFC 9457) as the console reads and shows it. Pure: no fetch, no DOM.

import type { Problem } from '@todo/contracts';

// The contract's shape (a type only: nothing of zod reaches the browser).
export type { Problem };
export type FieldError = NonNullable<Problem['errors']>[number];

/** The status a problem gets when the gateway could not be reached at all. */
export const NETWORK_STATUS = 0;

const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' && v !== null && typeof (v as Problem).title === 'string' && typeof (v as Problem).status === 'number';

/**
 * Whatever an error answer was, a Problem: the API's own problem+json as it is, anything else (a proxy's
 * HTML page, an empty 502) described by its status so the person still learns what happened.
 */
export function problemFromResponse(status: number, contentType: string | null, text: string): Problem {
  if (contentType && /json/.test(contentType) && text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isProblem(parsed)) return parsed;
    } catch {
      // not JSON after all: described below
    }
  }
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return { type: 'about:blank', title: STATUS_TITLES[status] ?? 'Error', status, ...(snippet ? { detail: snippet } : {}) };
}

export function networkProblem(err: unknown): Problem {
  const why = err instanceof Error && err.message ? ` (${err.message})` : '';
  return { type: 'about:blank', title: 'Network error', status: NETWORK_STATUS, detail: `The gateway cannot be reached${why}.` };
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The problem's code: `urn:todo:problem:version-mismatch` → `version-mismatch`. */
export const problemCode = (p: Problem) => p.type.replace(/^urn:todo:problem:/, '');

/**
 * Someone else changed the resource first: a stale If-Match (412), or a 409 that reloading resolves
 * (already completed, a concurrent write that kept losing). The console offers "reload" for these.
 */
export function isConflict(p: Problem): boolean {
  return p.status === 412 || (p.status === 409 && ['conflict', 'already-completed', 'version-mismatch'].includes(problemCode(p)));
}

/** What to tell a person about a problem: one heading, the detail, each field, and what to do. */
export interface ProblemText {
  heading: string;
  detail?: string;
  fields: string[];
  hint?: string;
}

export function describeProblem(p: Problem): ProblemText {
  const heading = p.status === NETWORK_STATUS ? p.title : `${p.title} (${p.status})`;
  const fields = (p.errors ?? []).map((e) => (e.path && e.path !== '(body)' ? `${e.path}: ${e.message}` : e.message));
  const hint = hintFor(p);
  return { heading, ...(p.detail ? { detail: p.detail } : {}), fields, ...(hint ? { hint } : {}) };
}

function hintFor(p: Problem): string | undefined {
  if (p.status === 412) return 'Someone changed this task after you loaded it. Reload it to see the latest version, then make your change again.';
  if (isConflict(p)) return 'The data changed meanwhile. Reload to see the latest.';
  switch (p.status) {
    case NETWORK_STATUS: return 'Check that the platform runs (make run), then try again.';
    case 401: return 'Your sign-in is missing, invalid or expired: sign in again.';
    case 403: return 'This needs the admin role.';
    case 413: return 'The request is too large (the API takes up to 64 KB).';
    case 502: case 503: case 504: return 'A service behind the gateway is unavailable or slow; try again in a few seconds.';
    default: return undefined;
  }
}
