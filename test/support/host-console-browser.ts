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

/** Promotes the queue's event with a reason, as a reviewer does; returns the incident it became (from the flash). */
export async function promoteFromQueue(page: Page, eventId: string, reason: string): Promise<string> {
  const form = page.locator(`form[action$="/events/${eventId}/promote"]`);
  await form.locator('input[name="reason"]').fill(reason);
  await Promise.all([page.waitForURL(/\/queue/), form.locator('button[type="submit"]').click()]);
  const flash = await page.locator('.flash').innerText();
  const incidentId = /into incident (\S+?)\.?$/.exec(flash.trim())?.[1];
  if (!incidentId) throw new Error(`no incident in the flash: ${flash}`);
  return incidentId;
}

/** Opens the incident page and returns the event ids its provenance lists. */
export async function provenanceOf(page: Page, consoleBase: string, incidentId: string): Promise<string[]> {
  await page.goto(`${consoleBase}/incidents/${encodeURIComponent(incidentId)}`);
  const rows = page.locator('h2:has-text("Provenance") + table tbody tr td:nth-child(2)');
  return rows.allInnerTexts();
}

/** Replays a destination's dead letters through the confirmation page; returns the count the confirmation named. */
export async function replayDeadLetters(page: Page, consoleBase: string, destinationId: string): Promise<number> {
  await page.goto(`${consoleBase}/deliveries/replay?destination=${encodeURIComponent(destinationId)}`);
  const button = page.locator('form[method="post"][action$="/deliveries/replay"] button[type="submit"]');
  const count = Number(/replay (\d+) dead letters/.exec(await button.innerText())?.[1]);
  await Promise.all([page.waitForURL(/\/deliveries/), button.click()]);
  return count;
}
