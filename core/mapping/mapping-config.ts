import { z } from 'zod';
import { INCIDENT_STATUSES, SEVERITIES } from '../incident/canonical-incident';
import { PROVIDERS } from './providers';
import { isValidTimeZone } from './utc-time';

/** Canonical fields a source may compute with its own JSONata instead of the preset's. */
export const OVERRIDABLE_FIELDS = [
  'instance',
  'externalId',
  'dedupeKey',
  'title',
  'description',
  'detectedAt',
  'eventTime',
  'severity',
  'status',
  'affectedSystems',
  'regulatoryRefs',
  'sourceUrl',
  'labels',
  'raw',
] as const;

export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number];

const MAX_EXPRESSION_LENGTH = 100_000;

const jsonataText = z
  .string({ error: 'must be a JSONata expression (text)' })
  .min(1, 'must not be empty')
  .max(MAX_EXPRESSION_LENGTH, `must be at most ${MAX_EXPRESSION_LENGTH} characters`);

const labelName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'use a letter then letters, digits, ".", "_" or "-" (max 64)');

/**
 * How one source turns payloads into canonical incidents: a provider preset, optionally overridden as a
 * whole (`expression`) or per field, plus custom fields, a regulatory-refs path and a severity filter.
 * Hosts embed it in their source configs and templates; unknown keys are refused so typos surface.
 */
export const mappingConfigSchema = z.strictObject({
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
  /** Replaces the preset's whole mapping: payload → one canonical incident or an array of them. */
  expression: jsonataText.optional(),
  /** Canonical field → JSONata evaluated per alert (`$payload`, `$candidate` and `$index` are bound). */
  fieldOverrides: z.partialRecord(z.enum(OVERRIDABLE_FIELDS, { error: `must be one of ${OVERRIDABLE_FIELDS.join(', ')}` }), jsonataText).optional(),
  /** Extra values kept as `labels.<name>`: label name → JSONata evaluated per alert. */
  customFields: z.record(labelName, jsonataText).optional(),
  /** Only these severities become candidates; the rest are recorded as filtered. */
  severityFilter: z.array(z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` })).min(1, 'must name at least one severity').optional(),
  /** JSONata evaluated per alert whose string(s) become `regulatoryRefs` (a field, label or tag path). */
  regulatoryRefsPath: jsonataText.optional(),
  /** Pins the instance (site/host/tenant in the source system) instead of reading it from the payload. */
  instance: z.string().min(1).max(255).optional(),
  /** Zone of wall-clock times without an offset (Zabbix): IANA name, `UTC` or a fixed offset like `+02:00`. */
  timezone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin, UTC, or an offset such as +02:00')
    .optional(),
  /** Extra or replacement rows for the preset's severity table (provider value → canonical severity). */
  severityTable: z.record(z.string().min(1), z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` })).optional(),
  /** Extra or replacement rows for the preset's status table (provider value → canonical status). */
  statusTable: z.record(z.string().min(1), z.enum(INCIDENT_STATUSES, { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` })).optional(),
});

export type MappingConfig = z.infer<typeof mappingConfigSchema>;
export type MappingConfigInput = z.input<typeof mappingConfigSchema>;
