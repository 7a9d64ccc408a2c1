import type { CanonicalIncident } from '../incident/canonical-incident';

/**
 * Senders retry for hours (PagerDuty for 48 h, Datadog, Jira), so an older event can arrive after a newer
 * one. The provider's own time of each event (`eventTime`) orders them: an event older than the newest one
 * its incident has taken is stale and never applied. An event without a time cannot be ordered and applies
 * in arrival order, as does one whose time equals the newest (the sender gave nothing finer to go by).
 */

/** The candidate's event time in epoch ms, or null when its mapping gave none. */
export function eventTimeOf(candidate: Pick<CanonicalIncident, 'eventTime'>): number | null {
  if (candidate.eventTime === undefined) return null;
  const at = Date.parse(candidate.eventTime);
  return Number.isFinite(at) ? at : null;
}

/** Whether the candidate is older than `latest` (the newest event time already taken; null = none). */
export function isOlderThan(candidate: Pick<CanonicalIncident, 'eventTime'>, latest: number | null): boolean {
  const at = eventTimeOf(candidate);
  return at !== null && latest !== null && at < latest;
}

/** The decision reason a stale event is recorded with. */
export function staleReason(candidate: Pick<CanonicalIncident, 'eventTime'>, latest: number, newerThan: string): string {
  return `stale: its event time ${candidate.eventTime} is older than ${new Date(latest).toISOString()}, the newest event of ${newerThan}; not applied`;
}
