import { InvalidRequestError } from '../errors';
import type { EvidenceRecord, IncidentRecord, RegulatoryReportRecord } from '../store/records';
import { REPORT_KINDS, REPORT_RULES, isReportKind, type ReportKind } from './report-kinds';

/** How far ahead of the store's clock a submission time may be (clock skew between the reporter and us). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface ReportFacts {
  incident: IncidentRecord;
  earlier: readonly RegulatoryReportRecord[];
  evidence: readonly EvidenceRecord[];
  now: number;
}

export interface ReportToCheck {
  kind: string;
  submittedAt: number;
  evidenceIds: readonly string[];
}

/**
 * Refuses a report that the rules or the record contradict: an unknown kind, a regime the incident is not
 * classified under, a report out of order or repeated, a time before the incident or before the report it
 * follows, or evidence that is not the incident's. Changes nothing; throws {@link InvalidRequestError}.
 */
export function checkReport(report: ReportToCheck, facts: ReportFacts): ReportKind {
  const { kind } = report;
  if (!isReportKind(kind)) throw new InvalidRequestError(`unknown report kind "${String(kind).slice(0, 60)}": one of ${REPORT_KINDS.join(', ')}`);
  const rule = REPORT_RULES[kind];
  checkClassified(kind, rule.regime, facts.incident);
  checkTime(kind, report.submittedAt, facts);
  checkOrder(kind, report.submittedAt, facts.earlier);
  const known = new Set(facts.evidence.map((item) => item.id));
  const unknown = report.evidenceIds.filter((id) => !known.has(id));
  if (unknown.length) throw new InvalidRequestError(`evidence ${unknown.slice(0, 3).join(', ')} is not on incident ${facts.incident.id}`);
  return kind;
}

function checkClassified(kind: ReportKind, regime: 'dora' | 'nis2', incident: IncidentRecord): void {
  if (regime === 'dora' && !incident.doraMajor) throw new InvalidRequestError(`a ${kind} report needs the incident classified as a DORA major incident first`);
  if (regime === 'nis2' && !incident.nis2Significant) throw new InvalidRequestError(`a ${kind} report needs the incident classified as NIS2 significant first`);
}

function checkTime(kind: ReportKind, submittedAt: number, facts: ReportFacts): void {
  if (!Number.isFinite(submittedAt)) throw new InvalidRequestError('the submission time must be a valid time');
  if (submittedAt < facts.incident.becameAwareAt) {
    throw new InvalidRequestError(`a ${kind} report cannot be dated before the incident became known (${new Date(facts.incident.becameAwareAt).toISOString()})`);
  }
  if (submittedAt > facts.now + FUTURE_TOLERANCE_MS) throw new InvalidRequestError(`a ${kind} report cannot be dated in the future`);
}

function checkOrder(kind: ReportKind, submittedAt: number, earlier: readonly RegulatoryReportRecord[]): void {
  const rule = REPORT_RULES[kind];
  const ended = earlier.find((report) => report.kind === 'dora.reclassified' || report.kind === 'dora.withdrawn');
  if (rule.regime === 'dora' && ended) throw new InvalidRequestError(`DORA reporting ended with the ${ended.kind} report; no ${kind} report can follow`);
  if (rule.once && earlier.some((report) => report.kind === kind)) throw new InvalidRequestError(`a ${kind} report was already recorded for this incident`);
  if (rule.after.length === 0) return;
  const before = earlier.filter((report) => (rule.after as readonly string[]).includes(report.kind));
  if (before.length === 0) throw new InvalidRequestError(`a ${kind} report needs the ${rule.after.join(' or ')} report recorded first`);
  const latest = Math.max(...before.map((report) => report.submittedAt));
  if (submittedAt < latest) throw new InvalidRequestError(`a ${kind} report cannot be dated before the ${rule.after.join(' or ')} report it follows (${new Date(latest).toISOString()})`);
}
