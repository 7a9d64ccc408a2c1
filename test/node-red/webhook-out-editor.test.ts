import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/host-console-browser';
import { isSecretLookingHeader } from '../../core/secrets';
import { startNodeRed, waitFor, type NodeRedProcess } from '../support/node-red-runtime';

/**
 * The webhook out edit dialog in a real Node-RED editor, driven in Debian's Chromium: an old flow with a
 * token in its plain Headers is flagged (and marked invalid, so Deploy asks for confirmation), and the dialog
 * warns while a secret is typed into a plain field. Needs `npm run build`.
 */
let red: NodeRedProcess;
let browser: Browser;
let page: Page;

const plainToken = 'Bearer 0123456789abcdef0123';

beforeAll(async () => {
  red = await startNodeRed();
  await red.deploy([
    { id: 'n-tab', type: 'tab', label: 'secrets' },
    { id: 'n-store', type: 'intake-store', sqlitePath: 'editor.sqlite' },
    { id: 'n-out', z: 'n-tab', type: 'webhook-out', store: 'n-store', tenant: 'acme', url: 'https://receiver.example/hooks', headers: JSON.stringify({ Authorization: plainToken }), x: 200, y: 100, wires: [[]] },
  ]);
  browser = await launchChromium();
  page = await browser.newPage();
  // The editor would fetch the palette catalogue from the internet: only loopback is reached.
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.goto(red.url);
  await page.waitForFunction(() => {
    const RED = (window as any).RED;
    return Boolean(RED?.nodes?.node?.('n-out')) && Boolean(RED.nodes.getType('webhook-out'));
  }, undefined, { timeout: 60_000 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await red?.stop();
});

describe('Node-RED editor: secrets in plain webhook out fields', () => {
  it('flags an existing node whose plain Headers carry a token, without changing the flow', async () => {
    // The editor validates each node as it draws the flow's tab.
    await page.waitForFunction(() => (window as any).RED.nodes.node('n-out').valid === false, undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('n-out');
      return { valid: node.valid, headers: node.headers, problems: node.validationErrors ?? [] };
    });
    expect(state.valid).toBe(false);
    expect(JSON.stringify(state.problems)).toContain('Header Authorization looks like a secret');
    expect(state.headers).toContain('Authorization');
    expect(red.log()).toMatch(/webhook out: header Authorization looks like it carries a secret in a plain field/);
    expect(red.log()).not.toContain('0123456789abcdef0123');
  });

  it('warns in the edit dialog while a secret is typed into Headers, and not for a reference', async () => {
    await page.evaluate(() => (window as any).RED.editor.edit((window as any).RED.nodes.node('n-out')));
    const warning = page.locator('#webhook-out-exposed');
    await warning.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await warning.textContent()).toContain('Header Authorization looks like a secret');
    expect(await warning.textContent()).not.toContain('0123456789abcdef0123');

    const headers = page.locator('#node-input-headers');
    await headers.fill('{"X-Team":"payments","X-Api-Key":"env:RECEIVER_KEY"}');
    await headers.dispatchEvent('input');
    await warning.waitFor({ state: 'hidden', timeout: 30_000 });

    await headers.fill('{"X-Client":"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}');
    await headers.dispatchEvent('input');
    await warning.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await warning.textContent()).toContain('Header X-Client looks like a secret');

    const url = page.locator('#node-input-url');
    await headers.fill('');
    await url.fill('https://user:pw@receiver.example/hooks');
    await url.dispatchEvent('input');
    await waitFor(async () => (await warning.textContent())?.includes('This URL carries a credential') === true, 30_000);
    expect(await page.locator('#node-input-secretHeaders').getAttribute('type')).toBe('password');
    expect(await page.locator('#node-input-secretUrl').getAttribute('type')).toBe('password');
  });

  it('judges headers as the runtime does (the editor keeps its own copy of the rules)', async () => {
    const samples: Array<[string, string]> = [
      ['Authorization', 'Bearer abcdef'],
      ['Authorization', 'Bearer env:TOKEN'],
      ['X-Api-Key', 'k'],
      ['X-Api-Key', 'file:/run/secrets/key'],
      ['X-Client', 'acme'],
      ['X-Client', 'ghp_0123456789abcdefghijABCDEFGHIJ'],
      ['X-Client', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      ['X-Trace', 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2'],
      ['X-Request-Id', '3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f'],
      ['X-Incident-Type', '01FCNDV6P870EA6S7TK1DSYDG0'],
      ['Content-Type', 'application/json'],
      ['X-Session-Id', ''],
    ];
    const editor = await page.evaluate((cases) => {
      const validate = (window as any).RED.nodes.getType('webhook-out').defaults.headers.validate;
      return cases.map(([name, value]) => validate.call({}, JSON.stringify({ [name]: value })) !== true);
    }, samples);
    expect(editor).toEqual(samples.map(([name, value]) => isSecretLookingHeader(name, value)));
  });
});
