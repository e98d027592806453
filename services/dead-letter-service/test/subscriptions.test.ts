import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_IDS, COMPONENTS, TOPICS, deadLetterTopic } from '@todo/contracts';
import { deliveryRoute } from '../src/routes/deliveries.ts';

const dir = path.resolve(import.meta.dirname, '../../../components/common/subscriptions');

describe('declarative subscriptions of the dead-letter-service', () => {
  // Only the topics that have subscribers can dead-letter (see packages/contracts/test/topics.test.ts).
  it.each([TOPICS.taskEvents, TOPICS.reminders])('%s.dlq is delivered to our route, scoped to us, with no dead-letter topic of its own', (topic) => {
    const sub = parse(readFileSync(path.join(dir, `dead-letter-${topic}.yaml`), 'utf8'));
    expect(sub).toEqual({
      apiVersion: 'dapr.io/v2alpha1',
      kind: 'Subscription',
      metadata: { name: `dead-letter-${topic}` },
      spec: { pubsubname: COMPONENTS.pubsub, topic: deadLetterTopic(topic), routes: { default: deliveryRoute(topic) } },
      scopes: [APP_IDS.deadLetterService],
    });
  });
});
