// Scenario 2: a poison event goes to the dead-letter topic after exactly the configured attempts while
// events behind it on the same partition keep flowing; a transient failure is retried and succeeds.
// Scenario 3: replaying a dead letter after "fixing" the consumer has exactly one effect.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, appCall, eventually, publishTaskEventRaw, settled, tokenFor } from '../support/clients.ts';
import { recordFigures } from './figures.ts';

const ROUTE = '/events/task-events';
const USER = 'poison-user';
/** resiliency.yaml: pubsubInbound maxRetries 3 → 1 delivery + 3 retries. */
const CONFIGURED_ATTEMPTS = 4;

function completedEvent(title: string) {
  const id = randomUUID();
  const now = new Date().toISOString();
  return {
    id, type: 'task.completed', version: 2, userId: USER, occurredAt: now, correlationId: `fault-${id}`,
    task: {
      id: `task-${id}`, userId: USER, title, description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null,
      recurrence: null, status: 'completed', createdAt: now, updatedAt: now, completedAt: now, seriesId: null, version: 2,
    },
  };
}

/** Publishes through task-service's sidecar with one partition key, so all land on one partition in order. */
async function publish(event: object) {
  expect(await publishTaskEventRaw(event, { partitionKey: 'one-partition' })).toBe(204);
}

const attempts = async (eventId: string) => (((await appCall('notification-service', 'GET', '/_faults')).body as { attempts: Record<string, number> }).attempts[`${ROUTE} ${eventId}`] ?? 0);
const notificationsFor = async (taskId: string) =>
  ((await api('GET', '/api/notifications?limit=100', { user: USER })).body.items as Array<{ taskId: string }>).filter((n) => n.taskId === taskId).length;
const admin = async () => tokenFor('ops', { admin: true });
const deadLetterFor = async (eventId: string) =>
  ((await api('GET', '/api/admin/dead-letters?status=all&topic=task-events', { token: await admin() })).body.items as Array<{ id: string; eventId: string; deliveries: number; status: string }>)
    .find((d) => d.eventId === eventId);

describe('scenarios 2 and 3: poison, transient failure, replay', () => {
  it('when a poison, an always-failing and a transient event come before others, then DLQ after exactly the configured attempts, followers flow, the transient one heals, and replays have one effect', async () => {
    const invalid = { ...completedEvent('invalid'), occurredAt: 'not a date' }; // fails the contract
    const alwaysFails = completedEvent('always-fails');
    const failsTwice = completedEvent('fails-twice');
    const followers = Array.from({ length: 5 }, (_, i) => completedEvent(`follower ${i}`));
    await appCall('notification-service', 'PUT', '/_faults', {
      rules: [{ match: 'always-fails', failTimes: null }, { match: 'fails-twice', failTimes: 2 }],
    });

    const t0 = Date.now();
    await publish(invalid);
    await publish(alwaysFails);
    await publish(failsTwice);
    for (const f of followers) await publish(f);

    // followers (behind all three on the same partition) are processed
    await eventually(async () => ((await Promise.all(followers.map((f) => notificationsFor(f.task.id)))).every((n) => n === 1) ? true : undefined), 60_000);
    const followersMs = Date.now() - t0;

    const dlAlways = await eventually(() => deadLetterFor(alwaysFails.id), 30_000);
    const dlInvalid = await eventually(() => deadLetterFor(invalid.id), 30_000);
    await settled(); // every delivery and retry so far has been handled: an extra attempt would show now
    const figures = {
      'invalid event: attempts by notification-service (DROP, no retry)': await attempts(invalid.id),
      'always-failing event: attempts (configured 1 + 3 retries)': await attempts(alwaysFails.id),
      'transient (fails twice): attempts': await attempts(failsTwice.id),
      'transient: notifications': await notificationsFor(failsTwice.task.id),
      'transient: dead letters': (await deadLetterFor(failsTwice.id)) ? 1 : 0,
      'followers on the same partition processed': `${followers.length}/${followers.length} in ${followersMs} ms`,
      'always-failing: notifications before replay': await notificationsFor(alwaysFails.task.id),
    };
    expect(figures['invalid event: attempts by notification-service (DROP, no retry)']).toBe(1);
    expect(dlInvalid.status).toBe('pending');
    expect(figures['always-failing event: attempts (configured 1 + 3 retries)']).toBe(CONFIGURED_ATTEMPTS);
    expect(dlAlways.status).toBe('pending');
    expect(figures['transient (fails twice): attempts']).toBe(3);
    expect(figures['transient: notifications']).toBe(1);
    expect(figures['transient: dead letters']).toBe(0);
    expect(figures['always-failing: notifications before replay']).toBe(0);

    // Scenario 3: "fix" the consumer, replay twice, expect exactly one effect.
    await appCall('notification-service', 'PUT', '/_faults', { rules: [] });
    expect((await api('POST', `/api/admin/dead-letters/${dlAlways.id}/replay`, { token: await admin() })).status).toBe(202);
    await eventually(async () => ((await notificationsFor(alwaysFails.task.id)) >= 1 ? true : undefined), 30_000);
    expect((await api('POST', `/api/admin/dead-letters/${dlAlways.id}/replay`, { token: await admin() })).status).toBe(202);
    // The second copy has been handled once notification-service has seen one more delivery of it.
    await eventually(async () => ((await attempts(alwaysFails.id)) >= CONFIGURED_ATTEMPTS + 2 ? true : undefined), 30_000);
    await settled();
    const afterReplay = await notificationsFor(alwaysFails.task.id);
    recordFigures('2-poison', 'Scenarios 2 and 3 — poison, transient failure, replay', {
      ...figures,
      'always-failing: notifications after fixing + 2 replays': afterReplay,
      'dead-letter record deliveries (invalid; one per subscriber that dead-lettered it)': dlInvalid.deliveries,
    }, [
      'Retries come from the resiliency policy on pubsub inbound (components/common/resiliency.yaml).',
      'An invalid payload is answered DROP: retrying cannot fix it, so it goes to the dead-letter topic at once.',
      'Replays republish the same event (same id); the consumer dedupes on it, so a second replay has no effect.',
    ]);
    expect(afterReplay).toBe(1);
  });
});
