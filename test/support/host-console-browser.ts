import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './node-red-runtime';

/** Debian's Chromium, headless, with nothing that phones home (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Screenshots are test artifacts under test-artifacts/console/<host>/ (gitignored), one per page visited. */
export function screenshotter(host: string): (page: Page, name: string) => Promise<void> {
  const folder = join(REPO, 'test-artifacts', 'console', host);
  mkdirSync(folder, { recursive: true });
  return async (page, name) => {
    await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
  };
}

/** The console's session cookie and the page's CSRF token, for forging requests outside the browser. */
export async function sessionOf(page: Page): Promise<{ cookie: string; csrf: string | null }> {
  const cookies = await page.context().cookies();
  const cookie = cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value').catch(() => null);
  return { cookie, csrf };
}
