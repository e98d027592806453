import { APP_IDS, Task, type Actor, type CreateTaskRequest } from '@todo/contracts';
import { SidecarError, UnexpectedResponseError, type ServiceInvoker } from '@todo/dapr';
import type { OccurrenceApi, OccurrenceResult } from '../domain/occurrence-api.ts';

/**
 * task-service's internal `PUT /series/:seriesId/occurrences/:occurrence`, through our sidecar. A 5xx
 * or 429 is thrown as a SidecarError (try again later: the delivery answers RETRY); 409 means the
 * occurrence was deleted; any other 4xx is a rejection retrying cannot fix.
 */
export class TaskServiceClient implements OccurrenceApi {
  constructor(private readonly invoker: ServiceInvoker) {}

  async createOccurrence(actor: Actor, seriesId: string, occurrence: string, input: CreateTaskRequest): Promise<OccurrenceResult> {
    const answer = await this.invoker.invoke(APP_IDS.taskService, {
      method: 'PUT',
      path: `series/${encodeURIComponent(seriesId)}/occurrences/${encodeURIComponent(occurrence)}`,
      body: input,
      headers: { 'x-user-id': actor.userId, 'x-correlation-id': actor.correlationId, ...(actor.traceparent ? { traceparent: actor.traceparent } : {}) },
    });
    if (answer.status >= 500 || answer.status === 429) throw new SidecarError(`${APP_IDS.taskService} answered ${answer.status}`, { status: answer.status });
    if (answer.status === 409) return { outcome: 'deleted' };
    if (answer.status === 200 || answer.status === 201) {
      const task = Task.safeParse(answer.body);
      if (!task.success) throw new UnexpectedResponseError(`${APP_IDS.taskService} answered outside its contract`, { cause: task.error });
      return { outcome: answer.status === 201 ? 'created' : 'existed', task: task.data };
    }
    return { outcome: 'rejected', detail: `${answer.status} ${JSON.stringify(answer.body)}` };
  }
}
