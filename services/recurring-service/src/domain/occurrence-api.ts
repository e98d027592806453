import type { Actor, CreateTaskRequest, Task } from '@todo/contracts';

export type OccurrenceResult =
  | { outcome: 'created' | 'existed'; task: Task }
  /** The occurrence was created and then deleted by the user: nothing to do. */
  | { outcome: 'deleted' }
  /** task-service refused it for good (the request is wrong): retrying cannot help. */
  | { outcome: 'rejected'; detail: string };

/**
 * What recurring-service needs from task-service (the port; adapters/task-client.ts reaches it through
 * the sidecar). Idempotent on (series, occurrence). Unreachable or failing: thrown, so the delivery is
 * retried later.
 */
export interface OccurrenceApi {
  createOccurrence(actor: Actor, seriesId: string, occurrence: string, input: CreateTaskRequest): Promise<OccurrenceResult>;
}
