import { compileMapping } from './compile-mapping';
import { OVERRIDABLE_FIELDS, mappingConfigSchema } from './mapping-config';
import type { MappingConfig } from './mapping-config';

/** One problem with a mapping config, located precisely enough for an editor to underline it. */
export interface MappingConfigIssue {
  /** `expression`, `fieldOverrides.title`, `customFields.team`, `timezone`, … */
  field: string;
  message: string;
  /** For JSONata syntax errors: 0-based offset and 1-based line/column inside that field's text. */
  position?: number;
  line?: number;
  column?: number;
}

export type MappingConfigValidation = { ok: true; config: MappingConfig } | { ok: false; issues: MappingConfigIssue[] };

/** Save-time check: the config's shape, then every JSONata text in it compiles. */
export function validateMappingConfig(input: unknown): MappingConfigValidation {
  const parsed = mappingConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
  const issues = jsonataTexts(parsed.data).flatMap(([field, text]) => {
    const compiled = compileMapping(text);
    if (compiled.ok) return [];
    const { message, position, line, column } = compiled.error;
    return [{ field, message, position, line, column }];
  });
  return issues.length === 0 ? { ok: true, config: parsed.data } : { ok: false, issues };
}

/** Zod issues → config issues; an unknown key is named by its own path so the editor can point at it. */
function toIssues(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] }): MappingConfigIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code !== 'unrecognized_keys' || !issue.keys) return [{ field: path || 'config', message: issue.message }];
  const message = path === 'fieldOverrides' ? `is not a canonical field; use one of ${OVERRIDABLE_FIELDS.join(', ')}, or customFields for extra values` : 'is not a mapping setting';
  return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message }));
}

function jsonataTexts(config: MappingConfig): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  if (config.expression !== undefined) texts.push(['expression', config.expression]);
  for (const [field, text] of Object.entries(config.fieldOverrides ?? {})) if (text !== undefined) texts.push([`fieldOverrides.${field}`, text]);
  for (const [name, text] of Object.entries(config.customFields ?? {})) texts.push([`customFields.${name}`, text]);
  if (config.regulatoryRefsPath !== undefined) texts.push(['regulatoryRefsPath', config.regulatoryRefsPath]);
  return texts;
}

/** Thrown where a config is used without having been validated first (e.g. createNormaliser). */
export class MappingConfigError extends Error {
  constructor(readonly issues: MappingConfigIssue[]) {
    super(`invalid mapping config: ${issues.map(describeIssue).join('; ')}`);
    this.name = 'MappingConfigError';
  }
}

export function describeIssue(issue: MappingConfigIssue): string {
  const where = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column})` : '';
  return `${issue.field}: ${issue.message}${where}`;
}
