// The dashboard: counts from the real services, and a stopped service's part marked, not an error page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, startApp, stopApp } from '../support/clients.ts';
import { expectNoPageErrors, goTo, launchBrowser, openConsole, screenshot, signIn } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('dashboard', () => {
  it('when every service answers, then the counts are the user\'s; when notification-service is down, then its part is marked unavailable', async () => {
    const user = `browser-dash-${Date.now()}`;
    for (const title of ['one', 'two']) expect((await api('POST', '/api/tasks', { user, body: { title } })).status).toBe(201);
    const c = await openConsole(browser);
    await signIn(c.page, user);
    await goTo(c.page, 'Dashboard');
    const open = c.page.locator('.tile.open .tile-value');
    await open.waitFor();
    expect(await open.textContent()).toBe('2');
    expect(await c.page.locator('.degraded').count()).toBe(0);
    await screenshot(c.page, '08-dashboard');

    await stopApp('notification-service', { what: 'app' });
    try {
      await c.page.getByRole('button', { name: 'Refresh', exact: true }).click();
      const banner = c.page.locator('.degraded', { hasText: 'notification-service' });
      await banner.waitFor({ timeout: 20_000 });
      await c.page.locator('#recent ~ .degraded-part', { hasText: 'notification-service did not answer' }).waitFor();
      expect(await open.textContent()).toBe('2'); // the other parts are still there
      await screenshot(c.page, '09-dashboard-degraded');
    } finally {
      await startApp('notification-service');
    }
    expectNoPageErrors(c);
    await c.context.close();
  });
});
