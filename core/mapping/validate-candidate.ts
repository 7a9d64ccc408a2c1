import { canonicalIncidentSchema } from '../incident/canonical-incident';
import type { CanonicalIncident } from '../incident/canonical-incident';
import type { QuarantineReason } from './normaliser';

export type CandidateValidation = { ok: true; incident: CanonicalIncident } | { ok: false; reasons: QuarantineReason[] };

/** Checks an assembled candidate against the canonical schema; each zod issue becomes a reason naming its field. */
export function validateCandidate(candidate: Record<string, unknown>): CandidateValidation {
  const parsed = canonicalIncidentSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, incident: parsed.data };
  return { ok: false, reasons: parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'incident', message: issue.message })) };
}
