// The pub/sub broker profile: one folder of component YAML per broker (components/<broker>/), each
// declaring a component named `pubsub`. dapr.yaml lists components/kafka; choosing another profile
// swaps that one folder and nothing else (state, cron, secrets, resiliency and subscriptions are shared).

export const BROKERS = ['kafka', 'redis', 'rabbitmq', 'mqtt'] as const;
export type Broker = (typeof BROKERS)[number];

/** BROKER from the environment (default kafka); anything else is refused, not silently ignored. */
export function selectedBroker(env: NodeJS.ProcessEnv = process.env): Broker {
  const value = env.BROKER?.trim() || 'kafka';
  if (!(BROKERS as readonly string[]).includes(value)) throw new Error(`BROKER=${value}: use one of ${BROKERS.join(', ')}`);
  return value as Broker;
}

/** Rewrites a resources path of dapr.yaml so it names the broker's profile folder instead of Kafka's. */
export function brokerResourcesPath(broker: Broker, resourcesPath: string): string {
  return resourcesPath.replace(/(^|\/)components\/kafka\/?$/, `$1components/${broker}`);
}
