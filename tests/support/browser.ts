// Browser tests: Debian's Chromium driven by playwright-core, a page set up as a user in China sees it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium without the background traffic that slows a sandboxed machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page 1280 wide, in Chinese and Beijing time. */
export function sandboxPage(browser: Browser, height = 900): Promise<Page> {
  return browser.newPage({ viewport: { width: 1280, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Script errors the page raised, collected for a test to assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The sandbox UI at `url` as the person named `name` (picked on the identity screen). */
export async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.locator('.person-card', { hasText: name }).first().click();
  await page.locator('#identity-name', { hasText: name }).waitFor();
}

/** Where a browser test's screenshots go (.tmp/e2e-<prefix>-<name>.png); the folder is made. */
export function screenshots(prefix: string): (name: string) => string {
  const dir = path.resolve(import.meta.dirname, '../../.tmp');
  mkdirSync(dir, { recursive: true });
  return (name) => path.join(dir, `e2e-${prefix}-${name}.png`);
}
