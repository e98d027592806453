// Admin: a dead letter on task-events.dlq, listed by the console, shown, and replayed — with its effect
// (the notification the original delivery never made) arriving for the task's owner.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, notificationsOf, publishTaskEventRaw } from '../support/clients.ts';
import { expectNoPageErrors, goTo, launchBrowser, openConsole, screenshot, signIn } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A valid task.completed (v2) that "failed" on its way: put straight on the dead-letter topic. */
function completedEvent(userId: string, title: string) {
  const now = new Date().toISOString();
  const taskId = randomUUID();
  return {
    taskId,
    event: {
      id: randomUUID(), type: 'task.completed', version: 2, userId, occurredAt: now, correlationId: `browser-${taskId}`,
      task: { id: taskId, userId, title, description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null, recurrence: null,
        status: 'completed', createdAt: now, updatedAt: now, completedAt: now, seriesId: null, version: 2 },
    },
  };
}

describe('dead letters (admin)', () => {
  it('when an admin replays a dead letter in the console, then it is marked replayed and its notification reaches the owner', async () => {
    const owner = `browser-dl-owner-${Date.now()}`;
    const { event, taskId } = completedEvent(owner, 'Replayed from the console');
    expect(await publishTaskEventRaw(event, { topic: 'task-events.dlq' })).toBe(204);

    const c = await openConsole(browser);
    await signIn(c.page, 'browser-ops', { admin: true });
    await goTo(c.page, 'Dead letters');
    const row = c.page.locator(`li.dead-letter`).filter({ hasText: event.id });
    // dead-letter-service collects it from the topic: reload the list until it is there.
    await eventually(async () => {
      await c.page.getByRole('button', { name: 'Reload', exact: true }).click();
      return (await row.count()) > 0 ? true : undefined;
    }, 30_000, 500);
    expect(await row.textContent()).toContain('task.completed');
    await row.getByRole('button', { name: 'Show', exact: true }).click();
    await row.getByLabel('Dead letter as stored').getByText('Replayed from the console').waitFor();
    await screenshot(c.page, '07-dead-letters');

    await row.getByRole('button', { name: 'Replay', exact: true }).click();
    await row.getByText('Replayed: republished to task-events.').waitFor();
    await row.locator('.badge', { hasText: 'replayed' }).waitFor();
    // The replay's effect: notification-service handles the completion it never got.
    const items = await eventually(async () => {
      const feed = await notificationsOf(owner);
      return feed?.length ? feed : undefined;
    }, 30_000);
    expect(items).toEqual([expect.objectContaining({ taskId, kind: 'task-completed' })]);
    expectNoPageErrors(c);
    await c.context.close();
  });

  it('when a user without the admin role opens the dead-letters address, then they get their tasks instead', async () => {
    const c = await openConsole(browser);
    await signIn(c.page, 'browser-not-admin');
    await c.page.goto('/#/dead-letters');
    await c.page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    await c.context.close();
  });
});
