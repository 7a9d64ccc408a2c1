import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/host-console-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-runtime';

// The intake source's edit dialog in the real editor, in Debian's Chromium (never a downloaded browser).

let red: NodeRedProcess;
let browser: Browser;
beforeAll(async () => {
  red = await startNodeRed();
  await red.deploy([
    { id: 'store1', type: 'intake-store', name: 'store', location: 'sqlite' },
    { id: 'src1', type: 'intake-source', name: 'Jira prod', tenant: 'default', sourceId: 'jira-prod', provider: 'jira', mode: 'review', scheme: 'hub-sha256', mappingExpression: '', regulatoryRefsPath: '' },
  ]);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await red?.stop();
});

describe('the Node-RED editor with the demo settings', () => {
  it('does not open the "Enable Update Notifications" prompt over the flows', async () => {
    const page = await browser.newPage();
    await page.goto(`${red.url}/`);
    await page.waitForFunction(() => (window as any).RED?.nodes?.node?.('src1') !== undefined, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as any).RED.settings.telemetryEnabled)).toBe(false);
    await page.waitForTimeout(1_500);
    expect(await page.getByText('Enable Update Notifications').count()).toBe(0);
    await page.close();
  }, 90_000);
});

describe('the intake source dialog in the Node-RED editor', () => {
  it('leaves the empty Mapping and Regulatory refs fields valid and marks a JSONata syntax error', async () => {
    const page = await browser.newPage();
    await page.goto(`${red.url}/`);
    await page.waitForFunction(() => (window as any).RED?.nodes?.node?.('src1') !== undefined, undefined, { timeout: 60_000 });
    await page.evaluate(() => (window as any).RED.editor.editConfig('', 'intake-source', 'src1'));
    const mapping = page.locator('#node-config-input-mappingExpression + .red-ui-typedInput-container');
    const refs = page.locator('#node-config-input-regulatoryRefsPath + .red-ui-typedInput-container');
    await mapping.waitFor({ state: 'attached', timeout: 30_000 });
    expect(await mapping.getAttribute('class')).not.toContain('input-error');
    expect(await refs.getAttribute('class')).not.toContain('input-error');

    await page.evaluate(() => (window as any).$('#node-config-input-mappingExpression').typedInput('value', '{ "title": '));
    await expect.poll(async () => mapping.getAttribute('class')).toContain('input-error');
    await page.evaluate(() => (window as any).$('#node-config-input-mappingExpression').typedInput('value', '{ "title": summary }'));
    await expect.poll(async () => mapping.getAttribute('class')).not.toContain('input-error');
    await page.close();
  }, 90_000);
});
