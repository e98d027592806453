// Signing in to the web console: the dev sign-in (DEV_LOGIN=1 on this platform) and a pasted JWT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { platform, tokenFor } from '../support/clients.ts';
import { expectNoPageErrors, launchBrowser, openConsole, screenshot, signIn } from '../support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sign-in', () => {
  it('when a person picks a user in the dev sign-in, then the console opens on their tasks, signed in as them', async () => {
    const c = await openConsole(browser);
    await c.page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await screenshot(c.page, '01-sign-in');
    await signIn(c.page, 'browser-alice');
    await c.page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    expect(await c.page.locator('header .who').textContent()).toContain('browser-alice');
    // No admin role: no dead letters in the navigation.
    expect(await c.page.getByRole('link', { name: 'Dead letters' }).count()).toBe(0);
    expectNoPageErrors(c);
    await c.context.close();
  });

  it('when a JWT is pasted, then the console uses it; a token that is not a JWT is refused with the reason', async () => {
    const c = await openConsole(browser);
    await c.page.getByLabel('Token', { exact: true }).fill('not-a-token');
    await c.page.getByRole('button', { name: 'Use token' }).click();
    await c.page.getByText('This is not a JWT').waitFor();
    await c.page.getByLabel('Token', { exact: true }).fill(await tokenFor('browser-pasted', { admin: true }));
    await c.page.getByRole('button', { name: 'Use token' }).click();
    await c.page.locator('header .who', { hasText: 'browser-pasted' }).waitFor();
    expect(await c.page.getByRole('link', { name: 'Dead letters' }).count()).toBe(1);
    expectNoPageErrors(c);
    await c.context.close();
  });

  it('when a pasted token is signed with another key, then the gateway\'s 401 problem is shown and nobody is signed in', async () => {
    const c = await openConsole(browser);
    const { signDevToken } = await import('../../tools/launcher/token.ts');
    await c.page.getByLabel('Token', { exact: true }).fill(await signDevToken('some-other-key-some-other-key-1234', 'mallory'));
    await c.page.getByRole('button', { name: 'Use token' }).click();
    const alert = c.page.getByRole('alert');
    await alert.getByText('Unauthorized (401)').waitFor();
    expect(await alert.textContent()).toContain('sign in again');
    expect(await c.page.locator('header .who').count()).toBe(0);
    await c.context.close();
  });

  it('when the token expires while the console is open, then it signs out by itself and says why', async () => {
    const c = await openConsole(browser);
    const { signDevToken } = await import('../../tools/launcher/token.ts');
    const expiresAt = Math.floor(Date.now() / 1000) + 6; // long enough to sign in on a busy machine
    await c.page.getByLabel('Token', { exact: true }).fill(await signDevToken(platform().secrets.jwtSigningKey, 'browser-brief', { expiresIn: expiresAt }));
    await c.page.getByRole('button', { name: 'Use token' }).click();
    await c.page.locator('header .who', { hasText: 'browser-brief' }).waitFor();
    await c.page.getByText(/Signed out: your token expired/).waitFor({ timeout: 15_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000);
    await c.page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    expectNoPageErrors(c);
    await c.context.close();
  });

  it('when a person uses only the keyboard, then they can sign in and open the new-task form', async () => {
    const c = await openConsole(browser);
    // What has the focus, as "TAG text id" (a string: these tests are type-checked without the DOM's types).
    const focused = () => c.page.evaluate<string>("(e => `${e?.tagName} ${e?.textContent?.trim() ?? ''} ${e?.id ?? ''}`)(document.activeElement)");
    const tabTo = async (what: RegExp) => {
      for (let i = 0; i < 40; i++) {
        await c.page.keyboard.press('Tab');
        if (what.test(await focused())) return;
      }
      throw new Error(`Tab never reached ${what}; last focus: ${await focused()}`);
    };
    await tabTo(/dev-user$/);
    await c.page.keyboard.press('ControlOrMeta+A');
    await c.page.keyboard.type('browser-keys');
    await tabTo(/^BUTTON Sign in/);
    await c.page.keyboard.press('Enter');
    await c.page.locator('header .who', { hasText: 'browser-keys' }).waitFor();
    await tabTo(/^BUTTON New task/);
    await c.page.keyboard.press('Enter');
    await tabTo(/new-title$/);
    await c.page.keyboard.type('Typed without a mouse');
    await tabTo(/^BUTTON Create task/);
    await c.page.keyboard.press('Enter');
    await c.page.getByRole('list', { name: 'Tasks' }).getByRole('heading', { name: 'Typed without a mouse' }).waitFor();
    expectNoPageErrors(c);
    await c.context.close();
  });
});
