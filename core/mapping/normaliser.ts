import type { CanonicalIncident } from '../incident/canonical-incident';

/** Why a candidate cannot be reviewed: the field at fault and what is wrong with it. */
export interface QuarantineReason {
  field: string;
  message: string;
}

export interface NormaliseContext {
  tenant: string;
  sourceId: string;
  provider: string;
  /** Site/host/tenant in the source system, when the source config pins it. */
  instance?: string;
  receivedAt: Date;
}

export interface QuarantinedCandidate {
  /** Position of the alert in the payload (0 for single-alert payloads). */
  index: number;
  reasons: QuarantineReason[];
  /** Whatever the mapping produced, for the reviewer to see. */
  partial: Record<string, unknown> | null;
}

export interface FilteredCandidate {
  index: number;
  incident: CanonicalIncident;
  reason: string;
}

export interface NormaliseResult {
  mappingVersion: string;
  candidates: Array<{ index: number; incident: CanonicalIncident }>;
  quarantined: QuarantinedCandidate[];
  filtered: FilteredCandidate[];
}

/**
 * Turns one parsed payload into canonical incident candidates. Implementations never throw for bad
 * data or a failing mapping: every failure becomes a quarantined candidate with reasons.
 */
export interface Normaliser {
  readonly mappingVersion: string;
  normalise(payload: unknown, context: NormaliseContext): Promise<NormaliseResult>;
  /**
   * For large bodies: decodes (strict UTF-8, one BOM tolerated) and parses the body's bytes and normalises
   * them away from the host's event loop (in a mapping worker), so that megabytes of JSON never become a
   * string, objects — and garbage — in the host's heap.
   */
  normaliseJson?(body: Uint8Array, maxDepth: number, context: NormaliseContext): Promise<JsonNormaliseResult>;
}

export type JsonNormaliseResult = { ok: true; result: NormaliseResult } | { ok: false; message: string };
