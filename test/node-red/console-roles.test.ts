import { describe, expect, it } from 'vitest';
import { consoleRolesFor, scopeGrants } from '../../node-red/console/console-roles';
import { CONSOLE_THEME, themeVariables } from '../../node-red/console/editor-theme';

describe('console roles from Node-RED permissions', () => {
  it.each([
    ['*', ['admin']],
    ['read', ['viewer']],
    ['*.read', ['viewer']],
    [['read', 'incident-intake.review'], ['viewer', 'reviewer']],
    [['read', 'incident-intake.operate'], ['viewer', 'operator']],
    ['incident-intake.admin', ['admin']],
    // Node-RED's `write` grants every `….write` scope, and incident-intake.write stands for all console writes.
    [['read', 'write'], ['admin']],
    ['incident-intake.write', ['admin']],
    [['flows.read', 'nodes.read'], []],
    ['', []],
    [undefined, []],
  ])('%j → %j', (scope, roles) => {
    expect(consoleRolesFor(scope)).toEqual(roles);
  });

  it("follows Node-RED's own rule for read and write scopes", () => {
    expect(scopeGrants('read', 'incident-intake.read')).toBe(true);
    expect(scopeGrants('read', 'incident-intake.review')).toBe(false);
    expect(scopeGrants('write', 'incident-intake.read')).toBe(false);
    expect(scopeGrants(['flows.read', 'incident-intake.review'], 'incident-intake.review')).toBe(true);
    expect(scopeGrants('incident-intake.read.extra', 'incident-intake.read')).toBe(false);
  });
});

describe("the editor's theme for the console", () => {
  it('takes --red-ui-* variables from :root blocks only, later ones winning', () => {
    const css = ':root{--red-ui-primary-background: #f0f0f0;--red-ui-text-color-link:#0d74ce}.x{--red-ui-primary-background: red}:root { --red-ui-primary-background: #222; }';
    expect(Object.fromEntries(themeVariables(css))).toEqual({ '--red-ui-primary-background': '#222', '--red-ui-text-color-link': '#0d74ce' });
  });

  it('drops values that could load something or break out of the block', () => {
    const css = ':root{--red-ui-primary-background: url(https://evil.example/x.png);--red-ui-secondary-background: #fff;--red-ui-shadow: expression(alert(1));--red-ui-primary-text-color: #000\\;}';
    expect(Object.fromEntries(themeVariables(css))).toEqual({ '--red-ui-secondary-background': '#fff' });
  });

  it("maps every console colour to an editor variable the editor's stylesheet defines", async () => {
    const { readFileSync } = await import('node:fs');
    const css = readFileSync(require.resolve('@node-red/editor-client/public/red/style.min.css'), 'utf8');
    const defined = themeVariables(css);
    for (const editor of Object.values(CONSOLE_THEME)) expect(defined.has(editor), editor).toBe(true);
  });
});
