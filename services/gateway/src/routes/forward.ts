import type { Request, Response } from 'express';
import type { InvokeRequest, ServiceInvoker } from '@todo/dapr';

/**
 * Headers a downstream service needs: who is calling — always the authenticated principal, never a
 * header the client sent — and the ids that tie logs and traces together.
 */
export function downstreamHeaders(req: Request): Record<string, string> {
  return {
    'x-user-id': req.principal.userId,
    'x-correlation-id': req.requestId,
    ...(req.traceparent ? { traceparent: req.traceparent } : {}),
  };
}

/** Aborts when the client goes away before it has its answer, so nobody keeps working for no one. */
export function clientGone(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}

/**
 * Invokes `appId` through our sidecar and relays its answer: status, JSON body, `Location` (moved under
 * /api). Failures to reach it are thrown and mapped once, by the service kit's error map (503/504).
 */
export async function forward(invoker: ServiceInvoker, appId: string, req: Request, res: Response, request: InvokeRequest) {
  const answer = await invoker.invoke(appId, { ...request, headers: { ...downstreamHeaders(req), ...request.headers }, signal: clientGone(req, res) });
  // Only headers that mean something to a client cross the edge.
  const location = answer.headers.get('location');
  const etag = answer.headers.get('etag');
  const retryAfter = answer.headers.get('retry-after');
  if (etag) res.set('etag', etag);
  if (retryAfter) res.set('retry-after', retryAfter);
  if (location) res.location(`/api${location}`);
  res.status(answer.status);
  const contentType = answer.headers.get('content-type');
  if (answer.body === undefined) return res.end();
  if (contentType) res.type(contentType);
  res.send(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
}

/** The query string exactly as the client sent it (`?status=open&tag=x`), or ''. */
export const queryOf = (req: Request) => {
  const i = req.originalUrl.indexOf('?');
  return i === -1 ? '' : req.originalUrl.slice(i);
};

export const segment = (value: string) => encodeURIComponent(value);
