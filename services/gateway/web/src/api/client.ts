import { networkProblem, problemFromResponse, type Problem } from './problem.ts';

/** An answer the API gave as a problem (or a network failure, status 0). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

export interface CallOptions {
  body?: unknown;
  /** A task version: sent as If-Match, so a stale edit is a 412 instead of a lost update. */
  ifMatch?: number;
  signal?: AbortSignal;
  /** This token instead of the session's (to try a token before signing in with it). */
  token?: string;
}

export interface Api {
  get<T>(path: string, options?: CallOptions): Promise<T>;
  post<T>(path: string, options?: CallOptions): Promise<T>;
  patch<T>(path: string, options?: CallOptions): Promise<T>;
  delete(path: string, options?: CallOptions): Promise<void>;
}

export interface ApiOptions {
  /** The bearer token, read on every call (undefined: none is sent). */
  token: () => string | undefined;
  /** Called on a 401 from an authenticated call: the sign-in is over. */
  onUnauthorized?: (problem: Problem) => void;
  fetch?: typeof fetch;
}

/** The console's one way to call the gateway: JSON in, JSON out, every error a Problem. */
export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(method: string, path: string, o: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    const token = o.token ?? options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.ifMatch !== undefined) headers['if-match'] = String(o.ifMatch);
    let res: Response;
    try {
      res = await doFetch(path, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw new ApiError(networkProblem(err));
    }
    const text = await res.text();
    if (!res.ok) {
      const problem = problemFromResponse(res.status, res.headers.get('content-type'), text);
      if (res.status === 401 && token && o.token === undefined) options.onUnauthorized?.(problem);
      throw new ApiError(problem);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path, o) => call('GET', path, o),
    post: (path, o) => call('POST', path, o),
    patch: (path, o) => call('PATCH', path, o),
    delete: (path, o) => call('DELETE', path, o),
  };
}

/** A thrown thing as a Problem (an ApiError's own, or a description of anything else). */
export function asProblem(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return { type: 'about:blank', title: 'Unexpected error', status: 0, detail: err instanceof Error ? err.message : String(err) };
}
