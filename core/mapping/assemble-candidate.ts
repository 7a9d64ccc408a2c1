import { DETECTED_AT_SOURCES, INCIDENT_STATUSES, SEVERITIES, defaultDedupeKey } from '../incident/canonical-incident';
import type { DetectedAtSource } from '../incident/canonical-incident';
import type { MappingPlan } from './mapping-plan';
import type { QuarantineReason } from './normaliser';
import { toUtcIso } from './utc-time';

export interface AssembledCandidate {
  /** The candidate to validate; null when the mapping did not produce an object. */
  candidate: Record<string, unknown> | null;
  /** Problems found while assembling (table misses, non-object output). */
  reasons: QuarantineReason[];
}

/**
 * Turns one mapping output into a canonical candidate: severity/status through the tables (original
 * strings kept in `raw`), dates to UTC, blanks to absent, lists and labels to strings, instance and
 * dedupe key filled in, and where `detectedAt` came from. Shape problems are left for schema validation to report.
 */
export function assembleCandidate(output: unknown, plan: MappingPlan, pinnedInstance: string | undefined, receivedAt?: string): AssembledCandidate {
  if (!isRecord(output)) {
    return { candidate: null, reasons: [{ field: 'mapping', message: `the mapping must produce an object per incident, got ${kindOf(output)}` }] };
  }
  const reasons: QuarantineReason[] = [];
  const severity = throughTable(output.severity, plan.severityTable, SEVERITIES, 'severity', reasons);
  const status = throughTable(output.status, plan.statusTable, INCIDENT_STATUSES, 'status', reasons);
  const instance = pinnedInstance ?? plan.instance ?? text(output.instance);
  const externalId = text(output.externalId);
  const detectedAt = utcTime(output.detectedAt, plan.timezone);
  const candidate = withoutUndefined({
    provider: plan.provider,
    instance,
    externalId,
    dedupeKey: text(output.dedupeKey) ?? (typeof externalId === 'string' ? defaultDedupeKey(plan.provider, instance as string | undefined, externalId) : undefined),
    title: text(output.title),
    description: text(output.description),
    detectedAt,
    eventTime: utcTime(output.eventTime, plan.timezone),
    severity,
    status,
    detectedAtSource: detectedAtSourceOf(output.detectedAtSource, detectedAt, receivedAt),
    affectedSystems: stringList(output.affectedSystems),
    regulatoryRefs: stringList(output.regulatoryRefs),
    sourceUrl: text(output.sourceUrl),
    labels: stringMap(output.labels),
    raw: rawStrings(output),
  });
  return { candidate, reasons };
}

/** Canonical values pass through; provider values are looked up case-insensitively. */
function throughTable<T extends string>(
  value: unknown,
  table: ReadonlyMap<string, T>,
  canonical: readonly T[],
  field: string,
  reasons: QuarantineReason[],
): unknown {
  const given = text(value);
  if (typeof given !== 'string') return given;
  const key = given.trim().toLowerCase();
  const found = table.get(key) ?? canonical.find((item) => item === key);
  if (found !== undefined) return found;
  const known = [...new Set([...table.keys(), ...canonical])];
  const shown = known.length > 15 ? `${known.slice(0, 15).join(', ')}, …` : known.join(', ');
  reasons.push({ field, message: `${JSON.stringify(given)} is not in the ${field} table (known: ${shown})` });
  return undefined;
}

/**
 * The mapping may say where its `detectedAt` came from; a mapping that does not say read it from the payload.
 * A `detectedAt` equal to the receipt instant is always reported as `received`, whatever the mapping said, so no
 * clock starts from the receipt without saying so. Absent when there is no `detectedAt` to describe.
 */
function detectedAtSourceOf(declared: unknown, detectedAt: unknown, receivedAt: string | undefined): DetectedAtSource | undefined {
  if (detectedAt === undefined) return undefined;
  if (receivedAt !== undefined && detectedAt === receivedAt) return 'received';
  return DETECTED_AT_SOURCES.find((source) => source === declared) ?? 'payload';
}

/** Strings stay (blank ones become absent), numbers and booleans become strings, anything else is left for validation. */
function text(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

function utcTime(value: unknown, timezone: string): unknown {
  const given = text(value);
  if (typeof value === 'number') return toUtcIso(value);
  if (typeof given !== 'string') return given;
  return toUtcIso(given, 'auto', timezone);
}

function stringList(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  if (items.some((item) => item !== null && typeof item === 'object')) return value;
  const strings = items.map(text).filter((item): item is string => typeof item === 'string');
  return [...new Set(strings)];
}

function stringMap(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value)) return value;
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = labelValue(item);
    if (converted !== undefined) map[key] = converted;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

function labelValue(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const joined = value.map(labelValue).filter((item) => item !== undefined).join(', ');
    return joined === '' ? undefined : joined;
  }
  if (isRecord(value)) return JSON.stringify(value);
  const converted = text(value);
  return typeof converted === 'string' ? converted : undefined;
}

/** The mapping's `raw` strings, plus the severity/status strings exactly as the mapping produced them. */
function rawStrings(output: Record<string, unknown>): Record<string, string> {
  const raw = stringMap(output.raw);
  const strings: Record<string, string> = isRecord(raw) ? (raw as Record<string, string>) : {};
  for (const field of ['severity', 'status'] as const) {
    const original = labelValue(output[field]);
    if (strings[field] === undefined && original !== undefined) strings[field] = original;
  }
  return strings;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the text ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}
