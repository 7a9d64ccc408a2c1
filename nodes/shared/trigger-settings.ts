import type { SourceDefinitionInput } from '../../core/intake/define-source';
import { authInput, text, type SourceAuthCredential } from './source-auth';

/** The Incident Intake Trigger's parameters, as n8n hands them over. */
export interface TriggerSettings {
  sourceId: string;
  provider: string;
  mode: string;
  severityFilter?: string[];
  mapping?: {
    expression?: string;
    fieldOverrides?: { override?: Array<{ field: string; expression: string }> };
    customFields?: { field?: Array<{ name: string; expression: string }> };
    regulatoryRefsPath?: string;
    instance?: string;
    timezone?: string;
  };
  limits?: {
    maxBodyKb?: number;
    sourcePerHour?: number;
    tenantPerDay?: number;
    quarantineDisableCount?: number;
    quarantineWindowSeconds?: number;
  };
  options?: { tenant?: string; sourceName?: string };
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function pairs<T>(rows: T[] | undefined, key: (row: T) => string, value: (row: T) => string): Record<string, string> | undefined {
  const entries = (rows ?? []).filter((row) => text(key(row)) && text(value(row))).map((row) => [key(row).trim(), value(row)] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Turns node parameters and the source auth credential into a source definition for `defineSource`. */
export function sourceDefinitionInput(settings: TriggerSettings, credential: SourceAuthCredential): SourceDefinitionInput {
  const { limits, options = {} } = settings;
  return {
    tenant: text(options.tenant) ?? 'default',
    id: settings.sourceId?.trim(),
    ...(text(options.sourceName) && { name: text(options.sourceName) }),
    provider: settings.provider as SourceDefinitionInput['provider'],
    mode: settings.mode as 'review' | 'auto-create',
    auth: authInput(credential),
    limits: limitsInput(limits),
    mapping: mappingInput(settings),
  };
}

/** The limits part of the settings, in the core's units, empty fields left out. */
export function limitsInput(limits: NonNullable<TriggerSettings['limits']> = {}): NonNullable<SourceDefinitionInput['limits']> {
  return defined({
    maxBodyBytes: limits.maxBodyKb ? Math.round(limits.maxBodyKb * 1024) : undefined,
    sourcePerHour: limits.sourcePerHour,
    tenantPerDay: limits.tenantPerDay,
    quarantineDisableCount: limits.quarantineDisableCount,
    quarantineWindowSeconds: limits.quarantineWindowSeconds,
  });
}

/** The mapping part of the settings (everything but the provider), empty fields left out. */
export function mappingInput(settings: Pick<TriggerSettings, 'mapping' | 'severityFilter'>): NonNullable<SourceDefinitionInput['mapping']> {
  const { mapping = {} } = settings;
  return defined({
    expression: text(mapping.expression),
    fieldOverrides: pairs(mapping.fieldOverrides?.override, (row) => row.field, (row) => row.expression) as never,
    customFields: pairs(mapping.customFields?.field, (row) => row.name, (row) => row.expression),
    severityFilter: settings.severityFilter?.length ? (settings.severityFilter as never) : undefined,
    regulatoryRefsPath: text(mapping.regulatoryRefsPath),
    instance: text(mapping.instance),
    timezone: text(mapping.timezone),
  });
}
