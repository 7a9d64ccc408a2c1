import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key));
}

/** Kibana mustache → JSON: `{{{…}}}` renders raw JSON (an array here), `{{…}}` outside quotes a number. */
function renderKibana(template: string): unknown {
  return JSON.parse(template.replace(/\{\{\{[^}]+\}\}\}/g, '[]').replace(/(?<!")\{\{[^}]+\}\}(?!")/g, '0'));
}

/**
 * A documented sender body template must produce exactly the fields of the fixture the preset is tested
 * with: the same key paths, and (Datadog) every value a `$VARIABLE`.
 */
export function senderTemplateProblems(provider: string, template: string, fixtureFile: string, repo: string): string[] {
  const fixture = JSON.parse(readFileSync(join(repo, fixtureFile), 'utf8'));
  const rendered = provider === 'elastic' ? renderKibana(template) : JSON.parse(template);
  const expected = new Set(keyPaths(fixture));
  const actual = new Set(keyPaths(rendered));
  const problems = [
    ...[...expected].filter((path) => !actual.has(path)).map((path) => `the template does not send ${path}`),
    ...[...actual].filter((path) => !expected.has(path)).map((path) => `the fixture has no ${path}`),
  ];
  if (provider === 'datadog') {
    for (const path of actual) {
      const value = path.split('.').reduce<any>((object, key) => object?.[key], rendered);
      if (!/^\$[A-Z_]+$/.test(String(value))) problems.push(`${path} is not a Datadog $VARIABLE`);
    }
  }
  return problems;
}
