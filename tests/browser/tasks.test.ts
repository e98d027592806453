// Tasks in the web console against the real platform: create (due, reminder, recurrence, tags,
// priority), complete and see the notification arrive by polling, edit with a conflict, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { api } from '../support/clients.ts';
import { expectNoPageErrors, goTo, launchBrowser, openConsole, screenshot, signIn, type ConsolePage } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** `YYYY-MM-DDTHH:mm` in the browser's zone, `days` from now at `hour`:00. */
const localInput = (days: number, hour: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
};

const taskItem = (page: Page, title: string): Locator => page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

async function createTask(page: Page, fields: { title: string; priority?: string; tags?: string; due?: string; remind?: string; frequency?: string }) {
  await page.getByRole('button', { name: 'New task', exact: true }).click();
  const form = page.locator('#new-task');
  await form.getByLabel('Title', { exact: true }).fill(fields.title);
  if (fields.priority) await form.getByLabel('Priority').selectOption(fields.priority);
  if (fields.tags) await form.getByLabel('Tags').fill(fields.tags);
  if (fields.due) await form.getByLabel('Due', { exact: true }).fill(fields.due);
  if (fields.remind) await form.getByLabel('Reminder').fill(fields.remind);
  if (fields.frequency) await form.getByLabel('Frequency').selectOption(fields.frequency);
  await form.getByRole('button', { name: 'Create task' }).click();
  await taskItem(page, fields.title).waitFor();
}

describe('tasks', () => {
  let c: ConsolePage;
  const user = `browser-tasks-${Date.now()}`;
  beforeAll(async () => {
    c = await openConsole(browser);
    await signIn(c.page, user);
  });
  afterAll(async () => {
    await c?.context.close();
  });

  it('when a task is created with due, reminder, recurrence, tags and priority, then the list shows it as the API stored it', async () => {
    await createTask(c.page, { title: 'Water plants', priority: 'high', tags: '#home, garden', due: localInput(2, 9), remind: localInput(2, 8), frequency: 'weekly' });
    const item = taskItem(c.page, 'Water plants');
    const text = await item.textContent();
    expect(text).toContain('high');
    expect(text).toContain('#home');
    expect(text).toContain('#garden');
    expect(text).toContain('every week');
    const stored = (await api('GET', '/api/tasks?status=open', { user })).body.items as Array<Record<string, any>>;
    expect(stored).toEqual([expect.objectContaining({ title: 'Water plants', priority: 'high', tags: ['home', 'garden'], recurrence: { frequency: 'weekly', interval: 1 } })]);
    expect(Date.parse(stored[0]!.remindAt)).toBeLessThan(Date.parse(stored[0]!.dueAt));
    await screenshot(c.page, '02-tasks');
    expectNoPageErrors(c);
  });

  it('when a task is completed, then it shows as completed and its notification arrives by itself', async () => {
    await createTask(c.page, { title: 'Pay rent', tags: 'bills' });
    await taskItem(c.page, 'Pay rent').getByRole('button', { name: 'Complete' }).click();
    await taskItem(c.page, 'Pay rent').getByText('completed', { exact: true }).waitFor();
    // The toast: the console polled the feed and found the new notification.
    const toast = c.page.locator('.toast', { hasText: 'Pay rent' });
    await toast.waitFor({ timeout: 30_000 });
    await toast.getByRole('button', { name: 'Dismiss notification' }).click();
    await toast.waitFor({ state: 'detached' });
    await goTo(c.page, 'Notifications');
    await c.page.getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Pay rent' }).waitFor();
    await screenshot(c.page, '03-notifications');
    await goTo(c.page, 'Tasks');
    expectNoPageErrors(c);
  });

  it('when the task changed elsewhere while it was being edited, then 412 is shown with a reload that brings the latest version', async () => {
    await createTask(c.page, { title: 'Book dentist' });
    const item = taskItem(c.page, 'Book dentist');
    await item.getByRole('button', { name: 'Edit' }).click();
    // Someone else (another tab, the chat) changes it meanwhile: version 1 → 2.
    const id = await item.getAttribute('data-task-id');
    expect((await api('PATCH', `/api/tasks/${id}`, { user, body: { description: 'changed elsewhere' } })).status).toBe(200);
    await item.getByLabel('Title', { exact: true }).fill('Book dentist (Tuesday)');
    await item.getByRole('button', { name: 'Save' }).click();
    const alert = item.getByRole('alert');
    await alert.getByText('Precondition Failed (412)').waitFor();
    expect(await alert.textContent()).toMatch(/changed this task/);
    await screenshot(c.page, '04-task-conflict');
    await alert.getByRole('button', { name: 'Reload task' }).click();
    await item.getByText('Reloaded: this is version 2').waitFor();
    expect(await item.getByLabel('Description').inputValue()).toBe('changed elsewhere');
    await item.getByLabel('Title', { exact: true }).fill('Book dentist (Tuesday)');
    await item.getByRole('button', { name: 'Save' }).click();
    await taskItem(c.page, 'Book dentist (Tuesday)').waitFor();
    const stored = (await api('GET', `/api/tasks/${id}`, { user })).body;
    expect(stored).toMatchObject({ title: 'Book dentist (Tuesday)', description: 'changed elsewhere', version: 3 });
    expectNoPageErrors(c);
  });

  it('when the task was completed elsewhere, then Complete shows the 409 and the reload shows it completed', async () => {
    await createTask(c.page, { title: 'Call the bank' });
    const item = taskItem(c.page, 'Call the bank');
    const id = await item.getAttribute('data-task-id');
    expect((await api('POST', `/api/tasks/${id}/complete`, { user })).status).toBe(200);
    await item.getByRole('button', { name: 'Complete', exact: true }).click();
    const alert = item.getByRole('alert');
    await alert.getByText('Conflict (409)').waitFor();
    expect(await alert.textContent()).toContain('task is already completed');
    await alert.getByRole('button', { name: 'Reload task' }).click();
    await item.getByText('completed', { exact: true }).waitFor();
    expect(await item.getByRole('button', { name: 'Complete', exact: true }).count()).toBe(0);
    expectNoPageErrors(c);
  });

  it('when the reminder comes after the due time, then the form says so next to the field and sends nothing', async () => {
    await c.page.getByRole('button', { name: 'New task', exact: true }).click();
    const form = c.page.locator('#new-task');
    await form.getByLabel('Title', { exact: true }).fill('Reminder after due');
    await form.getByLabel('Due', { exact: true }).fill(localInput(1, 9));
    await form.getByLabel('Reminder').fill(localInput(1, 10));
    await form.getByRole('button', { name: 'Create task' }).click();
    // Checked before sending, next to the field, with the API's own rule.
    await form.getByText('The reminder must not come after the due time.').waitFor();
    expect(await form.getByLabel('Reminder').getAttribute('aria-invalid')).toBe('true');
    await c.page.getByRole('button', { name: 'Close new task' }).click();
    const titles = ((await api('GET', '/api/tasks', { user })).body.items as Array<{ title: string }>).map((t) => t.title);
    expect(titles).not.toContain('Reminder after due');
  });

  it('when a task is deleted (after confirming), then it leaves the list and the API', async () => {
    await createTask(c.page, { title: 'Throw away' });
    const item = taskItem(c.page, 'Throw away');
    const id = await item.getAttribute('data-task-id');
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await item.getByRole('button', { name: 'Yes, delete' }).click();
    await item.waitFor({ state: 'detached' });
    expect((await api('GET', `/api/tasks/${id}`, { user })).status).toBe(404);
  });

  it('when the list is filtered by tag and status, then only matching tasks are shown', async () => {
    await c.page.getByLabel('Status', { exact: true }).selectOption('');
    await c.page.getByLabel('Tag', { exact: true }).fill('bills');
    await c.page.getByRole('button', { name: 'Apply', exact: true }).click();
    await taskItem(c.page, 'Pay rent').waitFor();
    await taskItem(c.page, 'Water plants').waitFor({ state: 'detached' });
    expect(await c.page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').count()).toBe(1);
    await c.page.getByLabel('Tag', { exact: true }).fill('');
    await c.page.getByLabel('Status', { exact: true }).selectOption('open');
    await c.page.getByRole('button', { name: 'Apply', exact: true }).click();
    await taskItem(c.page, 'Water plants').waitFor();
  });

  it('when the console is as narrow as a phone (375 px), then nothing overflows sideways', async () => {
    const phone = await openConsole(browser, { width: 375, height: 800 });
    await signIn(phone.page, user);
    await taskItem(phone.page, 'Water plants').waitFor();
    const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, '05-tasks-phone');
    expectNoPageErrors(phone);
    await phone.context.close();
  });
});
