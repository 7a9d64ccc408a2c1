import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** ISO 8601 instant in UTC with a `Z` suffix, e.g. `2024-06-10T08:39:58.456Z`. */
const utcInstant = z.iso.datetime({ offset: false, message: 'must be an ISO 8601 UTC time ending in Z' });

/**
 * The one shape every provider's payload becomes. Review, dedupe, clocks and delivery only ever see this.
 * `raw` keeps the provider's own severity/status strings for audit.
 */
export const canonicalIncidentSchema = z.object({
  provider: z.string().min(1, 'must not be empty'),
  instance: z.string().min(1).optional(),
  externalId: z.string().min(1, 'must not be empty'),
  dedupeKey: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  title: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
  description: z.string().max(100_000).optional(),
  detectedAt: utcInstant,
  severity: z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` }),
  status: z.enum(INCIDENT_STATUSES, { message: `must be one of ${INCIDENT_STATUSES.join(', ')}` }),
  affectedSystems: z.array(z.string()).default([]),
  regulatoryRefs: z.array(z.string()).default([]),
  sourceUrl: z.url({ message: 'must be an absolute URL' }).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  raw: z.record(z.string(), z.string()).default({}),
});

export type CanonicalIncident = z.infer<typeof canonicalIncidentSchema>;

/** Fields a candidate must carry to be reviewable; anything missing is a quarantine reason. */
export const MANDATORY_FIELDS = ['externalId', 'title', 'detectedAt', 'severity', 'status'] as const;

/** The default identity of an incident across events: `provider:instance:externalId`. */
export function defaultDedupeKey(provider: string, instance: string | undefined, externalId: string): string {
  return `${provider}:${instance ?? ''}:${externalId}`;
}
