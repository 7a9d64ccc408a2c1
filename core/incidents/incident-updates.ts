import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { InvalidRequestError, NotFoundError } from '../errors';
import { newId } from '../ids';
import type { EvidenceRecord, IncidentRecord, RegulatoryMilestones } from '../store/records';
import type { Repositories, Store } from '../store/store';
import { recordReport } from '../regulatory/record-report';
import { MILESTONE_REPORT_KINDS } from '../regulatory/report-kinds';
import { recordLifecycleEventIn } from '../lifecycle/record-lifecycle-event';

function requireActor(actor: string): string {
  if (!actor?.trim()) throw new InvalidRequestError('an actor is required');
  return actor.trim().slice(0, 200);
}

async function loadIncident(r: Repositories, tenant: string, incidentId: string): Promise<IncidentRecord> {
  const incident = await r.incidents.get(tenant, incidentId);
  if (!incident) throw new NotFoundError('incident', incidentId);
  return incident;
}

async function audit(r: Repositories, tenant: string, incidentId: string, actor: string, action: string, details: Record<string, unknown>, now: number) {
  await r.audit.append({ tenant, at: now, actor, action, subjectType: 'incident', subjectId: incidentId, details });
}

export async function setOwner(store: Store, tenant: string, incidentId: string, owner: string | null, actor: string, clock: Clock = systemClock): Promise<IncidentRecord> {
  const by = requireActor(actor);
  const now = clock.now();
  return store.transaction(async (r) => {
    const before = await loadIncident(r, tenant, incidentId);
    const next = owner?.trim() || null;
    await r.incidents.setOwner(tenant, incidentId, next, now);
    await audit(r, tenant, incidentId, by, 'incident.owner_set', { from: before.owner, to: next }, now);
    const after = await loadIncident(r, tenant, incidentId);
    if (before.owner !== next) await recordLifecycleEventIn(r, { kind: 'incident.owner_changed', incident: after, actor: by, details: { from: before.owner, to: next } }, now);
    return after;
  });
}

export interface EvidenceInput {
  kind: 'link' | 'note';
  value: string;
  note?: string;
}

export async function addEvidence(store: Store, tenant: string, incidentId: string, input: EvidenceInput, actor: string, clock: Clock = systemClock): Promise<EvidenceRecord> {
  const by = requireActor(actor);
  if (input.kind !== 'link' && input.kind !== 'note') throw new InvalidRequestError('evidence kind must be link or note');
  if (!input.value?.trim()) throw new InvalidRequestError('evidence needs a value (a URL or the note text)');
  if (input.kind === 'link' && !URL.canParse(input.value)) throw new InvalidRequestError('a link must be an absolute URL');
  const now = clock.now();
  return store.transaction(async (r) => {
    const incident = await loadIncident(r, tenant, incidentId);
    const record: EvidenceRecord = { id: newId('evd'), tenant, incidentId, kind: input.kind, value: input.value.slice(0, 10_000), note: input.note?.slice(0, 10_000) ?? null, addedBy: by, addedAt: now };
    await r.evidence.add(record);
    await audit(r, tenant, incidentId, by, 'incident.evidence_added', { evidenceId: record.id, kind: record.kind }, now);
    await recordLifecycleEventIn(r, { kind: 'evidence.added', incident, actor: by, details: { evidenceId: record.id, kind: record.kind, value: record.value, note: record.note } }, now);
    return record;
  });
}

export interface ClassificationInput {
  doraMajor?: boolean;
  nis2Significant?: boolean;
  /** When the classification was made; defaults to now. */
  classifiedAt?: number;
  /** Corrects when the organisation became aware, if earlier than the first event. */
  becameAwareAt?: number;
}

/** Classifies an incident as DORA major and/or NIS2 significant; the clocks start from these times. */
export async function classifyIncident(store: Store, tenant: string, incidentId: string, input: ClassificationInput, actor: string, clock: Clock = systemClock): Promise<IncidentRecord> {
  const by = requireActor(actor);
  const now = clock.now();
  const at = input.classifiedAt ?? now;
  return store.transaction(async (r) => {
    const before = await loadIncident(r, tenant, incidentId);
    const doraMajor = input.doraMajor ?? before.doraMajor;
    const nis2Significant = input.nis2Significant ?? before.nis2Significant;
    const classification = {
      doraMajor,
      doraClassifiedAt: doraMajor ? (before.doraMajor ? before.doraClassifiedAt : at) : null,
      nis2Significant,
      nis2ClassifiedAt: nis2Significant ? (before.nis2Significant ? before.nis2ClassifiedAt : at) : null,
    };
    await r.incidents.classify(tenant, incidentId, classification, now);
    await audit(r, tenant, incidentId, by, 'incident.classified', { ...classification }, now);
    if (input.becameAwareAt !== undefined && input.becameAwareAt !== before.becameAwareAt) {
      await r.incidents.setBecameAware(tenant, incidentId, input.becameAwareAt, now);
      await audit(r, tenant, incidentId, by, 'incident.became_aware_set', { from: before.becameAwareAt, to: input.becameAwareAt }, now);
    }
    const after = await loadIncident(r, tenant, incidentId);
    const details = { ...classification, becameAwareAt: after.becameAwareAt, was: { doraMajor: before.doraMajor, nis2Significant: before.nis2Significant } };
    await recordLifecycleEventIn(r, { kind: 'incident.classified', incident: after, actor: by, details }, now);
    return after;
  });
}

/**
 * Records that a regulatory report was submitted, which starts the next report's clock. Kept for callers that
 * name the report by its milestone (`doraInitialSubmittedAt`, …); {@link recordReport} takes every report kind,
 * with reference and evidence.
 */
export async function recordSubmission(store: Store, tenant: string, incidentId: string, report: keyof RegulatoryMilestones, submittedAt: number, actor: string, clock: Clock = systemClock): Promise<IncidentRecord> {
  const kind = MILESTONE_REPORT_KINDS[report];
  if (!kind) throw new InvalidRequestError(`unknown report "${String(report).slice(0, 60)}": one of ${Object.keys(MILESTONE_REPORT_KINDS).join(', ')}`);
  return (await recordReport(store, tenant, incidentId, { kind, submittedAt }, actor, clock)).incident;
}
