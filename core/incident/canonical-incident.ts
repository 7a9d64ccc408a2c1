import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Where `detectedAt` came from: the event's own time in the `payload`, the time the sender stamped on its
 * envelope (`sent-at`), or — when the payload carried neither — the time the intake `received` it.
 */
export const DETECTED_AT_SOURCES = ['payload', 'sent-at', 'received'] as const;
export type DetectedAtSource = (typeof DETECTED_AT_SOURCES)[number];

/** Quarantine reasons are read by analysts, so a missing field says so instead of zod's type jargon. */
function expected(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}, got ${describe(issue.input)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const requiredText = (max: number) =>
  z
    .string({ error: expected('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** Identities are compared byte for byte elsewhere, so they are checked but never trimmed. */
const requiredId = (max: number) =>
  z
    .string({ error: expected('a string') })
    .regex(/\S/, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** ISO 8601 instant in UTC with a `Z` suffix, e.g. `2024-06-10T08:39:58.456Z`. */
const utcInstant = z.iso.datetime({ offset: false, error: expected('an ISO 8601 UTC time ending in Z') });

/**
 * The one shape every provider's payload becomes. Review, dedupe, clocks and delivery only ever see this.
 * `raw` keeps the provider's own severity/status strings for audit.
 */
export const canonicalIncidentSchema = z.object({
  provider: requiredId(64),
  instance: z.string({ error: expected('a string') }).min(1).max(255).optional(),
  externalId: requiredId(255),
  dedupeKey: requiredId(255),
  title: requiredText(1000),
  description: z.string({ error: expected('a string') }).max(100_000, 'must be at most 100000 characters').optional(),
  detectedAt: utcInstant,
  eventTime: utcInstant.optional(),
  severity: z.enum(SEVERITIES, { error: expected(`one of ${SEVERITIES.join(', ')}`) }),
  status: z.enum(INCIDENT_STATUSES, { error: expected(`one of ${INCIDENT_STATUSES.join(', ')}`) }),
  detectedAtSource: z.enum(DETECTED_AT_SOURCES, { error: expected(`one of ${DETECTED_AT_SOURCES.join(', ')}`) }),
  affectedSystems: z.array(z.string({ error: expected('a string') }), { error: expected('a list of strings') }).default([]),
  regulatoryRefs: z.array(z.string({ error: expected('a string') }), { error: expected('a list of strings') }).default([]),
  sourceUrl: z.url({ protocol: /^https?$/, error: expected('an absolute http(s) URL') }).optional(),
  labels: z.record(z.string(), z.string({ error: expected('a string') }), { error: expected('a map of strings') }).optional(),
  raw: z.record(z.string(), z.string({ error: expected('a string') }), { error: expected('a map of strings') }).default({}),
});

export type CanonicalIncident = z.infer<typeof canonicalIncidentSchema>;

/** Fields a candidate must carry to be reviewable; anything missing is a quarantine reason. */
export const MANDATORY_FIELDS = ['externalId', 'title', 'detectedAt', 'severity', 'status'] as const;

/** The default identity of an incident across events: `provider:instance:externalId`. */
export function defaultDedupeKey(provider: string, instance: string | undefined, externalId: string): string {
  return `${provider}:${instance ?? ''}:${externalId}`;
}
