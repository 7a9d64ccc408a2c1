import type { IncidentStatus, Severity } from '../incident/canonical-incident';
import type { EvaluationPlan } from './evaluation-plan';
import type { MappingConfig } from './mapping-config';
import { mappingVersionOf } from './mapping-version';
import { getPreset } from './presets';
import type { Provider } from './providers';

/** A validated mapping config merged with its preset: everything normalisation needs, resolved once. */
export interface MappingPlan {
  provider: Provider;
  evaluation: EvaluationPlan;
  /** True when only the preset's own JSONata runs, which may then run in-process. */
  trusted: boolean;
  /** Lower-cased provider value → canonical value. */
  severityTable: ReadonlyMap<string, Severity>;
  statusTable: ReadonlyMap<string, IncidentStatus>;
  severityFilter?: readonly Severity[];
  instance?: string;
  timezone: string;
  placeholderPatterns: readonly RegExp[];
  mappingVersion: string;
}

export const DEFAULT_MAPPING_TIMEOUT_MS = 250;

export function buildMappingPlan(config: MappingConfig, timeoutMs = DEFAULT_MAPPING_TIMEOUT_MS, interpreterOnly = false): MappingPlan {
  const preset = getPreset(config.provider);
  const evaluation: EvaluationPlan = {
    expression: config.expression ?? preset.expression,
    ...(preset.alertsExpression !== undefined ? { alertsExpression: preset.alertsExpression } : {}),
    fieldOverrides: definedEntries(config.fieldOverrides ?? {}),
    customFields: { ...(config.customFields ?? {}) },
    ...(config.regulatoryRefsPath !== undefined ? { regulatoryRefsPath: config.regulatoryRefsPath } : {}),
    timeoutMs,
    ...(interpreterOnly ? { interpreterOnly } : {}),
  };
  const severityTable = lowerCasedTable({ ...preset.severityTable, ...config.severityTable });
  const statusTable = lowerCasedTable({ ...preset.statusTable, ...config.statusTable });
  const timezone = config.timezone ?? 'UTC';
  const placeholderPatterns = preset.placeholderPatterns ?? [];
  // How it is evaluated is not part of the mapping: the compiled form and the interpreter agree.
  const { timeoutMs: _timeout, interpreterOnly: _interpreter, ...versioned } = evaluation;
  const mappingVersion = mappingVersionOf(config.provider, {
    ...versioned,
    severityTable: [...severityTable],
    statusTable: [...statusTable],
    severityFilter: config.severityFilter ? [...config.severityFilter].sort() : undefined,
    instance: config.instance,
    timezone,
    placeholderPatterns,
  });
  return {
    provider: config.provider,
    evaluation,
    trusted: config.expression === undefined && Object.keys(evaluation.fieldOverrides).length === 0 && Object.keys(evaluation.customFields).length === 0 && config.regulatoryRefsPath === undefined,
    severityTable,
    statusTable,
    ...(config.severityFilter ? { severityFilter: config.severityFilter } : {}),
    ...(config.instance !== undefined ? { instance: config.instance } : {}),
    timezone,
    placeholderPatterns,
    mappingVersion,
  };
}

function definedEntries(record: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function lowerCasedTable<T>(table: Record<string, T>): Map<string, T> {
  const entries = Object.entries(table).map(([key, value]) => [key.trim().toLowerCase(), value] as const);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
