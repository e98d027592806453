// The chat panel: a sentence becomes a task through chat-service, and the task list shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api } from '../support/clients.ts';
import { expectNoPageErrors, goTo, launchBrowser, openConsole, screenshot, signIn } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('chat', () => {
  it('when a person writes "add buy milk tomorrow 5pm #home !high", then the reply says so and the task is in their list, due tomorrow', async () => {
    const user = `browser-chat-${Date.now()}`;
    const c = await openConsole(browser);
    await signIn(c.page, user);
    await goTo(c.page, 'Chat');
    const before = new Date();
    await c.page.getByLabel('Message', { exact: true }).fill('add buy milk tomorrow 5pm #home !high');
    await c.page.getByRole('button', { name: 'Send', exact: true }).click();
    const conversation = c.page.getByRole('log', { name: 'Conversation' });
    await conversation.getByText('created a task').waitFor();
    expect(await conversation.locator('.message.user').last().textContent()).toContain('add buy milk tomorrow 5pm #home !high');
    await screenshot(c.page, '06-chat');

    await goTo(c.page, 'Tasks');
    const item = c.page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').filter({ has: c.page.getByRole('heading', { name: 'buy milk', exact: true }) });
    await item.waitFor();
    expect(await item.textContent()).toContain('#home');
    const [task] = (await api('GET', '/api/tasks', { user })).body.items as Array<Record<string, any>>;
    expect(task).toMatchObject({ title: 'buy milk', tags: ['home'], priority: 'high' });
    const due = new Date(task!.dueAt);
    const tomorrow = new Date(before.getFullYear(), before.getMonth(), before.getDate() + 1);
    const after = new Date();
    const tomorrowAfter = new Date(after.getFullYear(), after.getMonth(), after.getDate() + 1);
    expect([tomorrow.toDateString(), tomorrowAfter.toDateString()]).toContain(due.toDateString());
    expectNoPageErrors(c);
    await c.context.close();
  });
});
