// What browser tests use: Debian's Chromium driven by playwright-core (no browser download), a page on
// the test platform's gateway, sign-in as a person does it, screenshots kept with the test artifacts,
// and a check that the page itself had no error (an uncaught exception, a CSP refusal).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { platform } from './clients.ts';
import { SCREENSHOT_DIR } from './browser-setup.ts';
/** scripts/setup-browser.sh installs it (apt-get install chromium). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/setup-browser.sh (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The sandbox needs user namespaces, which containers and root often lack; the pages are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors other than failed requests (a 4xx the test asked for). */
  errors: string[];
}

/** A fresh browser context (its own sessionStorage: nobody is signed in) on the console. */
export async function openConsole(browser: Browser, options: { width?: number; height?: number } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1100, height: options.height ?? 800 }, baseURL: platform().gatewayUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  await page.goto('/');
  return { context, page, errors };
}

/** Signs in with the dev sign-in (DEV_LOGIN=1 on the test platform), as a person would. */
export async function signIn(page: Page, userId: string, options: { admin?: boolean } = {}): Promise<void> {
  await page.getByLabel('User id', { exact: true }).fill(userId);
  if (options.admin) await page.getByLabel(/^Admin/).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header .who', { hasText: userId }).waitFor();
}

/** Goes to a page of the console by its navigation link and waits for its heading. */
export async function goTo(page: Page, name: 'Tasks' | 'Chat' | 'Notifications' | 'Dashboard' | 'Dead letters'): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** A full-page screenshot with the test artifacts: .run/test-results/browser/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page had no error of its own (CSP refusals are console errors too). */
export function expectNoPageErrors(c: ConsolePage): void {
  expect(c.errors).toEqual([]);
}
