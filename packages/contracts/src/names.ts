// The one place where Dapr app-ids, component names, topics and event types are spelled.
// Each value must match a `metadata.name` (components) or an app-id in dapr.yaml.

export const APP_IDS = {
  gateway: 'gateway',
  taskService: 'task-service',
  reminderService: 'reminder-service',
  notificationService: 'notification-service',
  recurringService: 'recurring-service',
  chatService: 'chat-service',
  deadLetterService: 'dead-letter-service',
  /** Python (services/insights-service): the insights read model. */
  insightsService: 'insights-service',
} as const;
export type AppId = (typeof APP_IDS)[keyof typeof APP_IDS];

export const COMPONENTS = {
  pubsub: 'pubsub',
  stateStore: 'statestore',
  secretStore: 'secretstore',
  reminderCron: 'reminder-cron',
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
  taskUpdated: 'task.updated',
  taskCompleted: 'task.completed',
  taskDeleted: 'task.deleted',
  reminderScheduled: 'reminder.scheduled',
  reminderDue: 'reminder.due',
  reminderCancelled: 'reminder.cancelled',
  notificationSent: 'notification.sent',
  notificationFailed: 'notification.failed',
  recurringTaskCreated: 'recurring.task.created',
} as const;

/**
 * The gateway's token policy defaults for development (`make token` mints tokens that satisfy them).
 * Deployments set their own issuer and audience (gateway env JWT_ISSUER / JWT_AUDIENCE, chart values).
 */
export const DEV_TOKEN_POLICY = {
  issuer: 'urn:todo-platform:dev',
  audience: 'urn:todo-platform:api',
  clockSkewSeconds: 30,
} as const;

/**
 * Who a request or an event acts for, as every internal service sees it: the user the gateway
 * authenticated, and the ids that tie one user action's logs, events and traces together.
 */
export interface Actor {
  userId: string;
  correlationId: string;
  traceparent?: string | undefined;
}
