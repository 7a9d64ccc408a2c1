import type { CanonicalIncident } from '../incident/canonical-incident';
import { newId } from '../ids';
import { changedFields } from '../incidents/incident-changes';
import { createOrUpdateIncident } from '../incidents/create-incident';
import { eventTimeOf, isOlderThan, staleReason } from '../incidents/event-order';
import type { NormaliseResult, QuarantineReason } from '../mapping/normaliser';
import type { EventRecord, EventState, IncidentRecord, ReceiptRecord } from '../store/records';
import type { IntakeState } from '../store/repositories/intake-repository';
import type { Repositories } from '../store/store';
import type { EventSummary, IncidentChange } from './outcome';
import type { IntakeMode } from './source-config';
import { timeSlicer } from '../limits/time-slice';
import { boundedPartial } from './bounded-partial';
import { enqueueForTargets, type DeliveryTarget } from '../delivery/delivery-target';
import { detectedTimeOf } from '../incident/detected-time';

export interface CandidateBatch {
  receipt: ReceiptRecord;
  mode: IntakeMode;
  normalised: NormaliseResult;
  now: number;
  /** Destinations whose deliveries are enqueued in the same transaction as each incident change. */
  deliverTo?: readonly DeliveryTarget[];
  /**
   * Each identity's incident and pending event as this unit of work read them, its identity locks already
   * held (see IntakeRepository). Used for an identity's first candidate; a later one of the same request reads
   * again, after what the first wrote.
   */
  known?: Pick<IntakeState, 'incidents' | 'pending'>;
}

export interface RecordedCandidates {
  events: EventSummary[];
  incidents: IncidentChange[];
  /**
   * The records as written, for hosts' outputs without reading them back: each event, and each incident
   * created or updated (by id). Undefined when a later candidate changed an event of this same request.
   */
  written?: { events: EventRecord[]; incidents: Map<string, IncidentRecord> };
}

const SYSTEM_ACTOR = 'system';

/** Writes one event per candidate of a request and decides each: review, auto-create, update, repeat, stale. */
export async function recordCandidates(repositories: Repositories, batch: CandidateBatch): Promise<RecordedCandidates> {
  const recorded: RecordedCandidates = { events: [], incidents: [], written: { events: [], incidents: new Map() } };
  const pause = timeSlicer();
  // In one order for every request, so two requests carrying the same identities cannot deadlock.
  const identities = [...new Set(batch.normalised.candidates.map(({ incident }) => incident.dedupeKey))].sort();
  if (!batch.known) for (const dedupeKey of identities) await repositories.incidents.lockIdentity(batch.receipt.tenant, dedupeKey);
  const lookups = new Lookups(repositories, batch);
  for (const { index, incident } of batch.normalised.candidates) {
    await pause();
    await recordCandidate(repositories, batch, lookups, index, incident, recorded);
  }
  for (const item of batch.normalised.quarantined) {
    await pause();
    const event = newEvent(batch, item.index, 'quarantined', { reasons: item.reasons, candidate: boundedPartial(item.partial) });
    await insertEvent(repositories, event, recorded);
  }
  for (const item of batch.normalised.filtered) {
    await pause();
    const event = newEvent(batch, item.index, 'filtered', { candidate: item.incident, dedupeKey: item.incident.dedupeKey, decisionReason: item.reason });
    await insertEvent(repositories, event, recorded);
  }
  recorded.events.sort((a, b) => a.position - b.position);
  recorded.written?.events.sort((a, b) => a.position - b.position);
  // An incident changed twice by one request is kept as its last write; any is the incident as committed.
  const written = recorded.written?.incidents ?? new Map<string, IncidentRecord>();
  if (batch.deliverTo?.length) {
    for (const change of recorded.incidents) {
      const incident = written.get(change.incidentId) ?? (await repositories.incidents.get(batch.receipt.tenant, change.incidentId));
      if (incident) await enqueueForTargets(repositories, batch.deliverTo, incident, batch.now);
    }
  }
  return recorded;
}

/** An identity's incident and pending event: from the admission's reads the first time, read afresh after. */
class Lookups {
  private readonly used = new Set<string>();

  constructor(
    private readonly repositories: Repositories,
    private readonly batch: CandidateBatch,
  ) {}

  async incident(dedupeKey: string): Promise<IncidentRecord | undefined> {
    const known = this.batch.known;
    if (known?.incidents.has(dedupeKey) && !this.used.has(`incident:${dedupeKey}`)) {
      this.used.add(`incident:${dedupeKey}`);
      return known.incidents.get(dedupeKey);
    }
    return this.repositories.incidents.getByDedupeKey(this.batch.receipt.tenant, dedupeKey);
  }

  async pending(dedupeKey: string): Promise<EventRecord | undefined> {
    const known = this.batch.known;
    if (known?.pending.has(dedupeKey) && !this.used.has(`pending:${dedupeKey}`)) {
      this.used.add(`pending:${dedupeKey}`);
      return known.pending.get(dedupeKey);
    }
    return this.repositories.events.findPendingByDedupeKey(this.batch.receipt.tenant, dedupeKey);
  }
}

async function recordCandidate(
  repositories: Repositories,
  batch: CandidateBatch,
  lookups: Lookups,
  index: number,
  candidate: CanonicalIncident,
  recorded: RecordedCandidates,
): Promise<void> {
  const tenant = batch.receipt.tenant;
  const base = { candidate, dedupeKey: candidate.dedupeKey };
  const known = await lookups.incident(candidate.dedupeKey);
  if (known) {
    if (isOlderThan(candidate, known.lastEventAt)) {
      const reason = staleReason(candidate, known.lastEventAt!, `incident ${known.id}`);
      return insertEvent(repositories, { ...newEvent(batch, index, 'stale', { ...base, decisionReason: reason }), incidentId: known.id }, recorded);
    }
    if (changedFields(known.canonical, candidate).length === 0) {
      await repositories.incidents.touch(tenant, known.id, batch.now, eventTimeOf(candidate));
      const reason = `repeat of incident ${known.id}; nothing changed`;
      return insertEvent(repositories, newEvent(batch, index, 'duplicate', { ...base, decisionReason: reason }), recorded);
    }
    return promoteNow(repositories, batch, newEvent(batch, index, 'promoted', { ...base, decisionReason: `update of incident ${known.id}` }), recorded, known);
  }
  const pending = await lookups.pending(candidate.dedupeKey);
  if (pending) {
    const waiting = eventTimeOf(pending.candidate as CanonicalIncident);
    if (isOlderThan(candidate, waiting)) {
      return insertEvent(repositories, newEvent(batch, index, 'stale', { ...base, decisionReason: staleReason(candidate, waiting!, `pending event ${pending.id}`) }), recorded);
    }
    await repositories.events.refreshCandidate(pending.id, candidate, batch.normalised.mappingVersion);
    if (pending.receiptId === batch.receipt.id) recorded.written = undefined;
    const reason = `folded into pending event ${pending.id}`;
    return insertEvent(repositories, newEvent(batch, index, 'duplicate', { ...base, decisionReason: reason }), recorded);
  }
  if (batch.mode === 'auto-create') {
    return promoteNow(repositories, batch, newEvent(batch, index, 'promoted', { ...base, decisionReason: 'auto-create mode' }), recorded, undefined);
  }
  return insertEvent(repositories, newEvent(batch, index, 'pending_review', base), recorded);
}

/** `known`: the identity's incident as just read under its lock (undefined: there is none). */
async function promoteNow(repositories: Repositories, batch: CandidateBatch, event: EventRecord, recorded: RecordedCandidates, known: IncidentRecord | undefined): Promise<void> {
  const result = await createOrUpdateIncident(repositories, event.candidate as CanonicalIncident, {
    event,
    bodySha256: batch.receipt.bodySha256,
    actor: SYSTEM_ACTOR,
    reason: event.decisionReason ?? '',
    now: batch.now,
    known: { incident: known },
  });
  await insertEvent(repositories, { ...event, incidentId: result.incident.id }, recorded);
  if (result.change === 'created' || result.change === 'updated') {
    recorded.incidents.push({ incidentId: result.incident.id, version: result.incident.version, change: result.change });
    recorded.written?.incidents.set(result.incident.id, result.incident);
  }
}

interface EventFields {
  reasons?: QuarantineReason[];
  candidate?: EventRecord['candidate'];
  dedupeKey?: string;
  decisionReason?: string;
}

function newEvent(batch: CandidateBatch, position: number, state: EventState, fields: EventFields): EventRecord {
  const decided = state !== 'pending_review';
  return {
    id: newId('evt'),
    tenant: batch.receipt.tenant,
    sourceId: batch.receipt.sourceId,
    receiptId: batch.receipt.id,
    position,
    state,
    reasons: fields.reasons ?? [],
    candidate: fields.candidate ?? null,
    dedupeKey: fields.dedupeKey ?? null,
    incidentId: null,
    mappingVersion: batch.normalised.mappingVersion,
    receivedAt: batch.receipt.receivedAt,
    decidedAt: decided ? batch.now : null,
    decidedBy: decided ? SYSTEM_ACTOR : null,
    decisionReason: fields.decisionReason ?? null,
  };
}

async function insertEvent(repositories: Repositories, event: EventRecord, recorded: RecordedCandidates): Promise<void> {
  await repositories.events.insert(event);
  await repositories.audit.record({
    tenant: event.tenant,
    at: event.decidedAt ?? event.receivedAt,
    actor: SYSTEM_ACTOR,
    action: `event.${event.state}`,
    subjectType: 'event',
    subjectId: event.id,
    details: {
      receiptId: event.receiptId,
      position: event.position,
      ...detectedTimeOf(event.candidate),
      ...(event.reasons.length ? { reasons: event.reasons } : {}),
      ...(event.decisionReason ? { reason: event.decisionReason } : {}),
    },
  });
  recorded.written?.events.push(event);
  recorded.events.push({
    id: event.id,
    position: event.position,
    state: event.state,
    reasons: event.reasons,
    ...(event.incidentId ? { incidentId: event.incidentId } : {}),
  });
}
