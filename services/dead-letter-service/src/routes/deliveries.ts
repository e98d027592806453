import { Router, type Express } from 'express';
import { deliveryResult, metricsOf, recordDelivery, type DeliveryStatus } from '@todo/service-kit';
import { arrivalFrom } from '../domain/dead-letter.ts';
import { receiveDeadLetter, type DeadLetterDeps } from '../domain/dead-letters.ts';

/** Delivery route named in components/common/subscriptions/dead-letter-<topic>.yaml for `<topic>.dlq`. */
export const deliveryRoute = (originalTopic: string) => `/dead-letters/${originalTopic}`;

/** Message metadata reaches us as request headers; a publisher may say there why the message failed. */
const REASON_HEADER = 'deadletterreason';

/**
 * daprd's deliveries from every `<topic>.dlq`. Unlike other subscribers this never answers DROP and
 * never validates the payload: a dead letter is often invalid by definition, and these subscriptions
 * have no dead-letter topic of their own, so a DROP would lose the message for good. Only SUCCESS
 * (stored) or RETRY (the state store failed). Idempotent: see receiveDeadLetter.
 */
export function deliveryRoutes(deps: DeadLetterDeps): Router {
  const router = Router();
  router.post('/dead-letters/:topic', async (req, res) => {
    const startedAt = process.hrtime.bigint();
    const envelope = (req.body ?? {}) as { id?: unknown; topic?: unknown; data?: unknown };
    const log = req.log.child({ cloudEventId: envelope.id, topic: `${req.params.topic}.dlq` });
    const answer = (status: DeliveryStatus) => {
      recordDelivery(metricsOf(req.app as Express), { topic: envelope.topic ?? `${req.params.topic}.dlq`, data: envelope.data, result: deliveryResult(status), startedAt });
      res.status(200).json({ status });
    };
    try {
      await receiveDeadLetter(deps, arrivalFrom(req.params.topic, req.body, req.get(REASON_HEADER)), log);
      answer('SUCCESS');
    } catch (err) {
      log.warn({ err }, 'dead letter not stored; asking for redelivery');
      answer('RETRY');
    }
  });
  return router;
}
