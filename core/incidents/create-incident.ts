import type { CanonicalIncident } from '../incident/canonical-incident';
import { newId } from '../ids';
import { detectedTimeOf } from '../incident/detected-time';
import type { EventRecord, IncidentRecord } from '../store/records';
import type { Repositories } from '../store/store';
import { changedFields } from './incident-changes';
import { eventTimeOf, isOlderThan } from './event-order';
import { recordAcknowledgedIfMoved } from '../lifecycle/record-lifecycle-event';

export interface IncidentWriteResult {
  incident: IncidentRecord;
  /** `stale`: the candidate is older than the incident's newest event and was not applied (nothing written). */
  change: 'created' | 'updated' | 'unchanged' | 'stale';
  changed: string[];
}

export interface ProvenanceSource {
  event: EventRecord;
  bodySha256: string;
  actor: string;
  reason: string;
  now: number;
  /** The identity's incident as this unit of work already read it under the identity's lock. */
  known?: { incident: IncidentRecord | undefined };
}

/**
 * Creates the incident for a candidate, or — when one with the same identity exists — applies the
 * candidate to it as an update, unless the candidate is older than the incident's newest event (see
 * event-order.ts). Leaves the event's provenance on the incident and audits every change.
 */
export async function createOrUpdateIncident(repositories: Repositories, candidate: CanonicalIncident, from: ProvenanceSource): Promise<IncidentWriteResult> {
  const { event, now } = from;
  // The caller holds the identity's lock, so nothing changes it under this unit of work; a writer that did not
  // take the lock makes the guarded insert or update rerun the whole unit of work.
  const existing = from.known ? from.known.incident : await repositories.incidents.getByDedupeKey(event.tenant, candidate.dedupeKey);
  if (existing) {
    if (isOlderThan(candidate, existing.lastEventAt)) return { incident: existing, change: 'stale', changed: [] };
    const changed = changedFields(existing.canonical, candidate);
    if (changed.length === 0) {
      await repositories.incidents.touch(event.tenant, existing.id, now, eventTimeOf(candidate));
      return { incident: existing, change: 'unchanged', changed };
    }
    const updated = await repositories.incidents.applyUpdateNew(existing, candidate, now, eventTimeOf(candidate));
    await recordProvenance(repositories, existing.id, 'updated', from);
    await repositories.audit.record({
      tenant: event.tenant,
      at: now,
      actor: from.actor,
      action: 'incident.updated',
      subjectType: 'incident',
      subjectId: existing.id,
      details: { eventId: event.id, changed, reason: from.reason, version: existing.version + 1 },
    });
    await recordAcknowledgedIfMoved(repositories, existing, updated, from.actor, now);
    return { incident: updated, change: 'updated', changed };
  }
  const incident = newIncidentRecord(candidate, event, now);
  await repositories.incidents.insertNew(incident);
  await recordProvenance(repositories, incident.id, 'created', from);
  await repositories.audit.record({
    tenant: event.tenant,
    at: now,
    actor: from.actor,
    action: 'incident.created',
    subjectType: 'incident',
    subjectId: incident.id,
    details: { eventId: event.id, dedupeKey: candidate.dedupeKey, ...detectedTimeOf(candidate), reason: from.reason, mappingVersion: event.mappingVersion },
  });
  return { incident, change: 'created', changed: [] };
}

function newIncidentRecord(candidate: CanonicalIncident, event: EventRecord, now: number): IncidentRecord {
  return {
    id: newId('inc'),
    tenant: event.tenant,
    dedupeKey: candidate.dedupeKey,
    sourceId: event.sourceId,
    provider: candidate.provider,
    title: candidate.title,
    severity: candidate.severity,
    status: candidate.status,
    canonical: candidate,
    version: 1,
    owner: null,
    createdAt: now,
    updatedAt: now,
    lastSeenAt: now,
    resolvedAt: candidate.status === 'resolved' ? now : null,
    lastEventAt: eventTimeOf(candidate),
    // We became aware when the first event reached us, not when a reviewer got to it.
    becameAwareAt: event.receivedAt,
    doraMajor: false,
    doraClassifiedAt: null,
    nis2Significant: false,
    nis2ClassifiedAt: null,
    milestones: {},
  };
}

async function recordProvenance(repositories: Repositories, incidentId: string, role: 'created' | 'updated', from: ProvenanceSource): Promise<void> {
  await repositories.incidents.addProvenance(from.event.tenant, {
    incidentId,
    eventId: from.event.id,
    receiptId: from.event.receiptId,
    bodySha256: from.bodySha256,
    mappingVersion: from.event.mappingVersion ?? 'unknown',
    role,
    at: from.now,
  });
}
