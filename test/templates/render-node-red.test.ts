import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNodeRedFlow, renderTemplate } from '../../core/templates';
import { REPO, exampleCheck } from './support';

const check = exampleCheck();
const flows = check.clients.map((client) => renderNodeRedFlow(client, check.template.store));
const PACKAGE_TYPES = Object.keys(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'))['node-red'].nodes as Record<string, string>);
const CORE_TYPES = ['tab', 'debug', 'http in', 'http response', 'function', 'catch', 'change'];

/** The property names a node type's editor declares (its `defaults`), read from the .html the palette loads. */
function editorDefaults(type: string): string[] {
  const html = readFileSync(join(REPO, 'node-red', `${type}.html`), 'utf8');
  const block = /defaults:\s*\{([\s\S]*?)\n\s*\},/.exec(html)![1]!;
  return [...block.matchAll(/^\s+(\w+):\s*\{/gm)].map((match) => match[1]!);
}

describe('Node-RED rendering', () => {
  it('uses only the package types and core nodes, with the properties their editors declare', () => {
    for (const node of flows.flat()) {
      expect([...PACKAGE_TYPES, ...CORE_TYPES]).toContain(node.type);
      if (!PACKAGE_TYPES.includes(node.type)) continue;
      const declared = editorDefaults(node.type);
      const own = Object.keys(node).filter((key) => !['id', 'type', 'z', 'x', 'y', 'wires', 'credentials'].includes(key));
      expect(own.filter((key) => !declared.includes(key)), node.type).toEqual([]);
    }
  });

  it('wires and config references point at nodes in the same file', () => {
    for (const flow of flows) {
      const ids = new Set(flow.map((node) => node.id));
      expect(ids.size).toBe(flow.length);
      for (const node of flow) {
        for (const target of ((node.wires as string[][] | undefined) ?? []).flat()) expect(ids.has(target), `${node.type} → ${target}`).toBe(true);
        for (const key of ['store', 'source', 'account']) if (typeof node[key] === 'string') expect(ids.has(node[key] as string), `${node.type}.${key}`).toBe(true);
        if (node.z !== undefined) expect(ids.has(node.z as string)).toBe(true);
      }
    }
  });

  it('puts only ${ENV} references into credentials', () => {
    const credentials = flows.flat().flatMap((node) => Object.entries((node.credentials as Record<string, string> | undefined) ?? {}));
    expect(credentials.length).toBeGreaterThan(0);
    for (const [field, value] of credentials) if (field !== 'previousSecretExpiresAt') expect(value).toMatch(/^\$\{[A-Z_][A-Z0-9_]*\}$/);
  });

  it('shares one store config node id across clients and renders the same files every time', () => {
    const stores = flows.map((flow) => flow.find((node) => node.type === 'intake-store')!.id);
    expect(new Set(stores).size).toBe(1);
    expect(renderTemplate(check.template, check.clients, 'node-red').files).toEqual(renderTemplate(check.template, check.clients, 'node-red').files);
  });
});
