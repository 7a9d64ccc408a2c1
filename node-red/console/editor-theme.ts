import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { NodeAPI } from '../shared/node-red-types';

/**
 * The console's own colour variables, each taken from the editor's theme variable that plays the same part,
 * so a console opened from Node-RED follows the editor's (light, dark or plugin) theme.
 */
export const CONSOLE_THEME: Record<string, string> = {
  '--bg': '--red-ui-primary-background',
  '--fg': '--red-ui-primary-text-color',
  '--muted': '--red-ui-secondary-text-color',
  '--card': '--red-ui-secondary-background',
  '--line': '--red-ui-secondary-border-color',
  '--accent': '--red-ui-deploy-button-background',
  '--ok': '--red-ui-text-color-success',
  '--bad': '--red-ui-text-color-error',
  '--warn': '--red-ui-text-color-warning',
};

/** A value that is only a colour, a length or a font list: nothing that loads, escapes or ends the block. */
const SAFE_VALUE = /^[#\w\s.,%()'"+-]{1,200}$/;

/** The `--red-ui-*` declarations of a stylesheet's `:root` blocks, in order (later ones win). */
export function themeVariables(css: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const block of css.matchAll(/:root\s*\{([^}]*)\}/g)) {
    for (const declaration of block[1]!.matchAll(/(--red-ui-[\w-]+)\s*:\s*([^;]+)/g)) {
      const value = declaration[2]!.trim();
      if (SAFE_VALUE.test(value) && !/url\s*\(|expression\s*\(/i.test(value)) variables.set(declaration[1]!, value);
    }
  }
  return variables;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The stylesheets that set the editor's theme: the editor's own, a theme plugin's (`editorTheme.theme`)
 * and `editorTheme.page.css`, in the order the editor loads them.
 */
function editorStylesheets(RED: NodeAPI): string[] {
  const files: string[] = [];
  try {
    const nodeRedDir = require.main?.filename ? dirname(require.main.filename) : process.cwd();
    files.push(join(dirname(require.resolve('@node-red/editor-client/package.json', { paths: [nodeRedDir, __dirname] })), 'public/red/style.min.css'));
  } catch {
    // no editor client to be found: the console keeps its own colours
  }
  const theme = (RED.settings as { editorTheme?: { theme?: unknown; page?: { css?: unknown } } }).editorTheme;
  const plugin = typeof theme?.theme === 'string' ? (RED.plugins.get(theme.theme) as { css?: unknown; path?: string } | undefined) : undefined;
  for (const css of [plugin?.css ?? []].flat()) if (typeof css === 'string') files.push(isAbsolute(css) || !plugin?.path ? css : join(plugin.path, css));
  for (const css of [theme?.page?.css ?? []].flat()) if (typeof css === 'string') files.push(css);
  return files;
}

let cached: string | undefined;

/** The host stylesheet the console links after its own: the editor's theme variables and the console's in their terms. */
export function editorThemeStylesheet(RED: NodeAPI): string {
  if (cached !== undefined) return cached;
  const variables = new Map<string, string>();
  for (const file of editorStylesheets(RED)) for (const [name, value] of themeVariables(readText(file))) variables.set(name, value);
  const declarations = [...variables].map(([name, value]) => `  ${name}: ${value};`);
  const mapped = Object.entries(CONSOLE_THEME)
    .filter(([, editor]) => variables.has(editor))
    .map(([console, editor]) => `  ${console}: var(${editor});`);
  cached = `/* incident-intake console: the Node-RED editor's theme */\n:root {\n${[...declarations, ...mapped].join('\n')}\n}\n`;
  return cached;
}
