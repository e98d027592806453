// The ports contract (packages/dapr/test/contract) against the real thing: the Dapr adapter talking to
// real daprd sidecars, Redis and the selected broker. The in-memory fakes pass the same suite in the
// unit run, so what unit tests rely on is what production does — including Dapr's Redis transactions
// applying the other operations when one etag check fails.
import { pino } from 'pino';
import { COMPONENTS, TOPICS } from '@todo/contracts';
import { createDaprAdapter } from '@todo/dapr';
import { describePortContracts } from '../../packages/dapr/test/contract/ports.contract.ts';
import { platform, redisHash } from '../support/clients.ts';

/**
 * Whether a task event reached the broker and its consumers: reminder-service records every task event
 * it handles under the task's id (its version guard), whatever the broker — so this works on all four
 * profiles, where reading the topic back does not.
 */
async function consumed(eventTaskId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (Object.keys(await redisHash(`reminder-service||reminder:${eventTaskId}`)).length > 0) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const adapterFor = (appId: string) => {
  const { apps, secrets } = platform();
  return createDaprAdapter({
    httpPort: apps[appId]!.daprHttpPort,
    apiToken: secrets.daprApiToken,
    pubsubName: COMPONENTS.pubsub,
    stateStoreName: COMPONENTS.stateStore,
    secretStoreName: COMPONENTS.secretStore,
    outboxTopic: TOPICS.taskEvents,
    logger: pino({ level: 'silent' }),
  });
};

describePortContracts('Dapr adapter on real daprd, Redis and broker', () => {
  const plain = adapterFor('chat-service'); // a plain Redis state store
  const outbox = adapterFor('task-service'); // the store with the transactional outbox
  const publisher = adapterFor('reminder-service'); // chat-service may not use the pub/sub (component scopes)
  return {
    state: plain.state,
    outboxState: outbox.state,
    events: publisher.events,
    invoker: plain.invoker,
    runningApp: 'task-service',
    // A published event is consumed within seconds; "not published" is concluded after 8 s of nothing.
    onTopic: async (_topic, eventId) => consumed(`contract-task-${eventId}`, 8_000),
  };
});
