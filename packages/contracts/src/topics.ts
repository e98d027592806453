import type { z } from 'zod';
import { IncomingTaskEvent, NotificationEvent, RecurringTaskCreated, ReminderEvent, TaskEvent } from './events.ts';
import { TOPICS, type Topic } from './names.ts';

/**
 * What each topic carries. `publishes`: what a producer may put on it (the current schema version),
 * checked once in the Dapr adapter before anything leaves the process. `accepts`: what a consumer (or a
 * dead-letter replay) may find on it, older versions included.
 */
export const TOPIC_CONTRACTS = {
  [TOPICS.taskEvents]: { publishes: TaskEvent, accepts: IncomingTaskEvent },
  [TOPICS.reminders]: { publishes: ReminderEvent, accepts: ReminderEvent },
  [TOPICS.notifications]: { publishes: NotificationEvent, accepts: NotificationEvent },
  [TOPICS.recurring]: { publishes: RecurringTaskCreated, accepts: RecurringTaskCreated },
} as const satisfies Record<Topic, { publishes: z.ZodType; accepts: z.ZodType }>;

/** The event a producer hands to `publish(topic, …)`. */
export type TopicEvent<T extends Topic> = z.input<(typeof TOPIC_CONTRACTS)[T]['publishes']>;

export const isTopic = (name: string): name is Topic => Object.hasOwn(TOPIC_CONTRACTS, name);
