import { verifyAuditTrail } from '../../core/audit/verify-trail';
import { InvalidRequestError } from '../../core/errors';
import { getIncident } from '../../core/incidents/incident-queries';
import { addEvidence, classifyIncident, setOwner, type EvidenceInput } from '../../core/incidents/incident-updates';
import { nextDeadline, type DeadlineOptions } from '../../core/regulatory/deadlines';
import { listReports, recordReport } from '../../core/regulatory/record-report';
import type { Store } from '../../core/store/store';

/** Incident and audit actions of the incident review node, beside its queue and source actions. */
export const INCIDENT_ACTIONS = ['incident-get', 'incident-owner', 'incident-evidence', 'incident-classify', 'incident-report', 'incident-reports', 'incident-deadlines', 'audit-verify'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export function isIncidentAction(action: string): action is IncidentAction {
  return (INCIDENT_ACTIONS as readonly string[]).includes(action);
}

/** What the message carries for an incident action (see the node's help). */
export interface IncidentActionInput {
  tenant: string;
  incidentId?: string;
  actor?: string;
  owner?: unknown;
  evidence?: unknown;
  classification?: unknown;
  report?: unknown;
  deadlineOptions: DeadlineOptions;
}

const required = (value: string | undefined, what: string): string => {
  if (!value?.trim()) throw new InvalidRequestError(`${what} is required for this action`);
  return value.trim();
};

function objectOf(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidRequestError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** A time given as epoch milliseconds or an ISO 8601 text; absent stays absent. */
function timeOf(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) throw new InvalidRequestError(`${what} must be an ISO 8601 time or epoch milliseconds`);
  return at;
}

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

async function withDeadlines(store: Store, input: IncidentActionInput, incidentId: string) {
  const detail = await getIncident(store, input.tenant, incidentId, input.deadlineOptions);
  return { ...detail, nextDeadline: nextDeadline(detail.deadlines) ?? null };
}

/** Runs one incident or audit action; bad input throws a readable error and changes nothing. */
export async function runIncidentAction(store: Store, action: IncidentAction, input: IncidentActionInput): Promise<{ payload: unknown } & Record<string, unknown>> {
  const { tenant } = input;
  if (action === 'audit-verify') {
    const result = await verifyAuditTrail(store, tenant);
    return { payload: result, topic: result.broken ? 'audit.broken' : 'audit.intact' };
  }
  const incidentId = required(input.incidentId, 'an incident id (msg.incidentId)');
  switch (action) {
    case 'incident-get':
      return { payload: await withDeadlines(store, input, incidentId), incidentId };
    case 'incident-deadlines': {
      const { deadlines, nextDeadline: next } = await withDeadlines(store, input, incidentId);
      return { payload: { incidentId, ...deadlines, nextDeadline: next }, incidentId };
    }
    case 'incident-owner': {
      if (input.owner !== undefined && input.owner !== null && typeof input.owner !== 'string') throw new InvalidRequestError('msg.owner must be a text (empty or null clears it)');
      return { payload: await setOwner(store, tenant, incidentId, (input.owner as string | null | undefined) ?? null, required(input.actor, 'an actor')), incidentId, topic: 'incident.owner_changed' };
    }
    case 'incident-evidence': {
      const evidence = objectOf(input.evidence, 'msg.evidence');
      const item: EvidenceInput = { kind: evidence.kind as EvidenceInput['kind'], value: String(evidence.value ?? ''), ...(optionalText(evidence.note) && { note: evidence.note as string }) };
      return { payload: await addEvidence(store, tenant, incidentId, item, required(input.actor, 'an actor')), incidentId, topic: 'evidence.added' };
    }
    case 'incident-classify': {
      const given = objectOf(input.classification, 'msg.classification');
      const flag = (name: string) => (given[name] === undefined ? undefined : given[name] === true);
      const classification = { doraMajor: flag('doraMajor'), nis2Significant: flag('nis2Significant'), classifiedAt: timeOf(given.classifiedAt, 'classifiedAt'), becameAwareAt: timeOf(given.becameAwareAt, 'becameAwareAt') };
      await classifyIncident(store, tenant, incidentId, classification, required(input.actor, 'an actor'));
      return { payload: await withDeadlines(store, input, incidentId), incidentId, topic: 'incident.classified' };
    }
    case 'incident-report': {
      const given = objectOf(input.report, 'msg.report');
      const evidenceIds = Array.isArray(given.evidenceIds) ? given.evidenceIds.map(String) : [];
      const report = { kind: String(given.kind ?? ''), submittedAt: timeOf(given.submittedAt, 'submittedAt'), reference: optionalText(given.reference), evidenceIds, note: optionalText(given.note) };
      const recorded = await recordReport(store, tenant, incidentId, report, required(input.actor, 'an actor'));
      const detail = await withDeadlines(store, input, incidentId);
      return { payload: { report: recorded.report, incident: detail.incident, deadlines: detail.deadlines, nextDeadline: detail.nextDeadline }, incidentId, topic: 'report.submitted' };
    }
    case 'incident-reports':
      return { payload: await listReports(store, tenant, incidentId), incidentId };
  }
}
