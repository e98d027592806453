import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import { DependencyTimeoutError, SidecarError, type InvokeRequest, type InvokeResponse, type ServiceInvoker } from './ports.ts';

export interface BreakerOptions {
  /** Consecutive server-side failures that open the circuit. */
  consecutiveFailures: number;
  /** How long an open circuit fails calls at once before one probe call is let through. */
  halfOpenAfterMs: number;
}

/**
 * As the Resiliency policies had it: open after 6 failures in a row (`consecutiveFailures > 5`), probe
 * again after 15 s. While open, calls fail at once with a SidecarError (the gateway answers 503 with
 * Retry-After, a subscriber answers RETRY) instead of piling onto a struggling service.
 */
export const DEFAULT_BREAKER: BreakerOptions = { consecutiveFailures: 6, halfOpenAfterMs: 15_000 };

/** Methods that may be sent again when the first attempt never reached the app. */
const IDEMPOTENT = new Set<InvokeRequest['method']>(['GET', 'PUT', 'DELETE']);

/** A call that failed on the server side: unreachable, timed out, or the app itself answered 5xx. */
class ServerFailure extends Error {
  constructor(readonly response: InvokeResponse) {
    super(`answered ${response.status}`);
  }
}

const isServerSide = (err: unknown) => err instanceof SidecarError || err instanceof DependencyTimeoutError || err instanceof ServerFailure;

/**
 * Service invocation with a circuit breaker per target app, in the app rather than in daprd. Why:
 * daprd 1.18's breaker counts every non-2xx answer as a failure — 4xx included — and a client that went
 * away too (directmessaging.go turns any status outside 200–399 into an error; gobreaker counts every
 * error; no Resiliency field filters them). Six invalid requests from one user opened `task-service`'s
 * breaker for everyone for 15 s. Here only server-side failures count: SidecarError (daprd could not
 * reach the app, or answered with its own ERR_ code), DependencyTimeoutError, and a 5xx from the app.
 * A 4xx is the caller's business and a success for the breaker; a call the caller cancelled is neither.
 *
 * Idempotent calls (GET, PUT, DELETE) are tried up to 3 times, 200 ms apart, when daprd could not reach
 * the app (a restart, a replica going away); never on a timeout (the first attempt may still be running)
 * and never for POST/PATCH (it may have reached the app). daprd's own invocation retries are off for the
 * same reason: it retries timeouts and transport errors whatever `matching.httpStatusCodes` says.
 */
export function resilientInvoker(inner: ServiceInvoker, logger: Logger, options: BreakerOptions = DEFAULT_BREAKER): ServiceInvoker {
  const policies = new Map<string, { breaker: IPolicy; withRetry: IPolicy }>();
  const policiesFor = (appId: string) => {
    let policy = policies.get(appId);
    if (!policy) {
      const breaker = circuitBreaker(handleWhen(isServerSide), {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.consecutiveFailures),
      });
      const log = logger.child({ component: 'circuit-breaker', appId });
      breaker.onStateChange((state) => {
        if (state === CircuitState.Open) log.warn({ state: 'open', halfOpenAfterMs: options.halfOpenAfterMs }, `circuit breaker for ${appId} opened`);
        else if (state === CircuitState.HalfOpen) log.info({ state: 'half-open' }, `circuit breaker for ${appId} half-open: probing`);
        else if (state === CircuitState.Closed) log.info({ state: 'closed' }, `circuit breaker for ${appId} closed`);
      });
      const retryUnreachable = retry(handleWhen((err) => err instanceof SidecarError), { maxAttempts: 2, backoff: new ConstantBackoff(200) });
      // The retry outside the breaker: every attempt counts, and an open circuit is not retried.
      policy = { breaker, withRetry: wrap(retryUnreachable, breaker) };
      policies.set(appId, policy);
    }
    return policy;
  };

  return {
    async invoke(appId, request) {
      const { breaker, withRetry } = policiesFor(appId);
      const policy = IDEMPOTENT.has(request.method) ? withRetry : breaker;
      try {
        return await policy.execute(async () => {
          let response: InvokeResponse;
          try {
            response = await inner.invoke(appId, request);
          } catch (err) {
            // The caller gave up: not the target's failure. An error the breaker does not handle is not
            // counted while closed (a probe cancelled while half-open counts as a success, cockatiel 4).
            if (request.signal?.aborted) throw new CallerAbort(err);
            throw err;
          }
          if (response.status >= 500) throw new ServerFailure(response);
          return response;
        });
      } catch (err) {
        if (err instanceof ServerFailure) return err.response; // counted; the caller still gets the answer
        if (err instanceof CallerAbort) throw err.cause;
        if (err instanceof BrokenCircuitError) throw new SidecarError(`invoke ${appId}: circuit open`, { status: 503, cause: err });
        throw err;
      }
    },
  };
}

class CallerAbort extends Error {
  constructor(cause: unknown) {
    super('the caller cancelled the call', { cause });
  }
}

