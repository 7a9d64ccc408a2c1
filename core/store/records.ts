import type { CanonicalIncident } from '../incident/canonical-incident';
import type { QuarantineReason } from '../mapping/normaliser';

/**
 * Where an event (one candidate of one request) stands. `filtered` = below the source's severity filter;
 * `duplicate` = a repeat that changed nothing (transport retries never become events at all); `stale` = older
 * (by the provider's event time) than what its incident has already taken, so recorded but never applied.
 */
export type EventState = 'pending_review' | 'promoted' | 'rejected' | 'quarantined' | 'filtered' | 'duplicate' | 'stale';

export interface SourceRecord {
  tenant: string;
  id: string;
  provider: string;
  name: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  testPassedAt: number | null;
  /** The name of the secret the last accepted request was signed with (`current`, `previous`, …), never its value. */
  lastSecretLabel: string | null;
  lastSecretAt: number | null;
  secretRotatedAt: number | null;
  /** When the grace period of the secrets replaced by the last rotation ends; null once that end is audited. */
  secretGraceEndsAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** One HTTP request that passed authentication, with the answer it was given (replayed to retries). */
export interface ReceiptRecord {
  id: string;
  tenant: string;
  sourceId: string;
  replayKey: string;
  messageId: string | null;
  receivedAt: number;
  bodySha256: string;
  contentType: string | null;
  httpStatus: number;
  outcome: string;
  response: Record<string, unknown>;
}

export interface EventRecord {
  id: string;
  tenant: string;
  sourceId: string;
  receiptId: string;
  position: number;
  state: EventState;
  reasons: QuarantineReason[];
  candidate: CanonicalIncident | Record<string, unknown> | null;
  dedupeKey: string | null;
  incidentId: string | null;
  mappingVersion: string | null;
  receivedAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** Milestones a regulator's clock runs from (epoch ms), e.g. when the DORA initial notification was sent. */
export interface RegulatoryMilestones {
  doraInitialSubmittedAt?: number;
  /** The latest intermediate report: the final report's clock runs from it. */
  doraIntermediateSubmittedAt?: number;
  doraFinalSubmittedAt?: number;
  /** The DORA notification was withdrawn or the incident reclassified as not major: no DORA report is due any more. */
  doraEndedAt?: number;
  nis2EarlyWarningSubmittedAt?: number;
  nis2NotificationSubmittedAt?: number;
  /** The latest intermediate report sent on the authority's request (it moves no deadline). */
  nis2IntermediateSubmittedAt?: number;
  nis2FinalSubmittedAt?: number;
}

/** A regulatory report as submitted to the authority (see core/regulatory/report-kinds.ts for the kinds). */
export interface RegulatoryReportRecord {
  id: string;
  tenant: string;
  incidentId: string;
  kind: string;
  submittedAt: number;
  submittedBy: string;
  /** The authority's reference for the submission, if it gave one. */
  reference: string | null;
  evidenceIds: string[];
  note: string | null;
  recordedAt: number;
}

export interface IncidentRecord {
  id: string;
  tenant: string;
  dedupeKey: string;
  sourceId: string;
  provider: string;
  title: string;
  severity: CanonicalIncident['severity'];
  status: CanonicalIncident['status'];
  canonical: CanonicalIncident;
  version: number;
  owner: string | null;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number;
  resolvedAt: number | null;
  /** The provider's event time (epoch ms) of the newest event applied or repeated; null when none carried one. */
  lastEventAt: number | null;
  becameAwareAt: number;
  doraMajor: boolean;
  doraClassifiedAt: number | null;
  nis2Significant: boolean;
  nis2ClassifiedAt: number | null;
  milestones: RegulatoryMilestones;
}

export interface ProvenanceRecord {
  incidentId: string;
  eventId: string;
  receiptId: string;
  bodySha256: string;
  mappingVersion: string;
  role: 'created' | 'updated';
  at: number;
}

export interface EvidenceRecord {
  id: string;
  tenant: string;
  incidentId: string;
  kind: 'link' | 'note';
  value: string;
  note: string | null;
  addedBy: string;
  addedAt: number;
}

export interface AuditEntry {
  seq: number;
  tenant: string;
  at: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
