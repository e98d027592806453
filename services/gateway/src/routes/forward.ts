import type { Request, Response } from 'express';
import { SidecarError, type InvokeRequest, type ServiceInvoker } from '@todo/dapr';
import { AppError } from '@todo/service-kit';

/** Headers a downstream service needs: who is calling, and the ids that tie logs and traces together. */
export function downstreamHeaders(req: Request): Record<string, string> {
  return {
    'x-user-id': req.principal.userId,
    'x-correlation-id': req.requestId,
    ...(req.traceparent ? { traceparent: req.traceparent } : {}),
  };
}

/**
 * Invokes `appId` through our sidecar and relays its answer: status, JSON body, `Location` (moved under
 * /api). A target that cannot be reached is a 503 problem, never a raw daprd error.
 */
export async function forward(invoker: ServiceInvoker, appId: string, req: Request, res: Response, request: InvokeRequest) {
  let answer;
  try {
    answer = await invoker.invoke(appId, { ...request, headers: { ...downstreamHeaders(req), ...request.headers } });
  } catch (err) {
    if (err instanceof SidecarError) throw new AppError('service-unavailable', 503, `${appId} is unavailable`, { cause: err });
    throw err;
  }
  // daprd's own failure (target not found, no healthy instance) comes back as 500 with an ERR_ code.
  const body = answer.body as { errorCode?: string } | undefined;
  if (answer.status >= 500 && typeof body?.errorCode === 'string') {
    req.log.warn({ appId, status: answer.status, errorCode: body.errorCode }, 'invocation failed in daprd');
    throw new AppError('service-unavailable', 503, `${appId} is unavailable`);
  }
  // Only headers that mean something to a client cross the edge.
  const location = answer.headers.get('location');
  const etag = answer.headers.get('etag');
  if (etag) res.set('etag', etag);
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
