import type { Express, RequestHandler } from 'express';
import { faultInjectorOf } from './faults.ts';
import type { z } from 'zod';
import type { Logger } from './logger.ts';
import { metricsOf, recordDelivery, type DeliveryResult } from './metrics.ts';

/** What we answer daprd for one delivery. Anything but SUCCESS is never an ack. */
export type DeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

export const deliveryResult = (status: DeliveryStatus): DeliveryResult => status.toLowerCase() as DeliveryResult;

/** Thrown by a handler when the failure is worth retrying later (dependency down, etag race). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Thrown by a handler when retrying cannot help (the payload is wrong) → DROP → dead-letter topic. */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

export interface Delivery<T> {
  data: T;
  /** CloudEvent id assigned by the publishing sidecar (NOT the event's own id; dedupe on `data.id`). */
  cloudEventId: string | undefined;
  topic: string | undefined;
  log: Logger;
}

/**
 * A pub/sub route that always answers daprd explicitly. The CloudEvent's `data` is validated with the
 * schema: invalid → DROP (dead letter), handler throws PoisonMessageError → DROP, any other error → RETRY,
 * bounded by the component's resiliency policy and then dead-lettered. An exception never becomes an ack.
 */
export function subscriptionHandler<S extends z.ZodType>(
  schema: S,
  handle: (delivery: Delivery<z.infer<S>>) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    const startedAt = process.hrtime.bigint();
    const envelope = (req.body ?? {}) as { id?: string; topic?: string; data?: unknown; data_base64?: string };
    const log = req.log.child({ cloudEventId: envelope.id, topic: envelope.topic });
    // Counted by topic, event type and answer, with the handling time and the event's age (metrics.ts).
    const answer = (status: DeliveryStatus) => {
      recordDelivery(metricsOf(req.app as Express), { topic: envelope.topic, data: envelope.data, result: deliveryResult(status), startedAt });
      res.status(200).json({ status });
    };

    const faults = faultInjectorOf(req.app as Express);
    if (faults) {
      const data = envelope.data as { id?: unknown } | undefined;
      try {
        await faults.onDelivery(req.path, typeof data?.id === 'string' ? data.id : (envelope.id ?? 'unknown'), envelope.data);
      } catch (err) {
        log.warn({ err }, 'injected fault: asking for redelivery');
        return answer('RETRY');
      }
    }

    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'invalid event dropped to dead letter');
      return answer('DROP');
    }
    try {
      await handle({ data: parsed.data, cloudEventId: envelope.id, topic: envelope.topic, log });
      answer('SUCCESS');
    } catch (err) {
      if (err instanceof PoisonMessageError) {
        log.warn({ err }, 'event cannot be processed; dropped to dead letter');
        return answer('DROP');
      }
      log.warn({ err }, 'event processing failed; asking for redelivery');
      answer('RETRY');
    }
  };
}
