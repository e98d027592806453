// The one place where Dapr app-ids, component names, topics and event types are spelled.
// Each value must match a `metadata.name` (components) or an app-id in dapr.yaml.

export const APP_IDS = {
  gateway: 'gateway',
  taskService: 'task-service',
  notificationService: 'notification-service',
} as const;
export type AppId = (typeof APP_IDS)[keyof typeof APP_IDS];

export const COMPONENTS = {
  pubsub: 'pubsub',
  stateStore: 'statestore',
  secretStore: 'secretstore',
} as const;

export const TOPICS = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  notifications: 'notifications',
  recurring: 'recurring',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where a message goes once its retries are spent. */
export const deadLetterTopic = (topic: Topic): string => `${topic}.dlq`;

export const EVENT_TYPES = {
  taskCreated: 'task.created',
} as const;
