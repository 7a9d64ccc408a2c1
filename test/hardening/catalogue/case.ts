import type { OutcomeCode } from '../../../core/intake/outcome';
import type { WireRequest } from '../support/raw-http';
import type { SourceKey } from './sources';

export type HostKind = 'node-red' | 'n8n';

/** What a case may use from the host it runs against. */
export interface CaseContext {
  host: HostKind;
  path(source: SourceKey): string;
  /** The signature headers for `body` under the source's scheme and secret (or another secret). */
  sign(source: SourceKey, body: Buffer, options?: { timestamp?: number; id?: string; secret?: string }): Array<[string, string]>;
  /** A value no other request of this run uses. */
  unique(label?: string): string;
  /** Sends a request that must succeed with `status`, for the steps that set a case up. */
  send(request: WireRequest): Promise<{ status: number; json: Record<string, unknown> | undefined }>;
  disableSource(source: SourceKey): Promise<void>;
}

/** Rows a case is allowed to add to the store: exact counts. */
export interface StoredRows {
  receipts: number;
  events?: Record<string, number>;
  incidents?: number;
}

export interface Expectation {
  /** Several when the host may answer either way; 0 = closed without an answer, -1 = no answer in time. */
  status: number | readonly number[];
  /** The `outcome` of our JSON answer; null when the host itself answers (its own body, not ours). */
  outcome: OutcomeCode | null;
  /** Matched against our `reason`, or against the host's raw answer when `outcome` is null. */
  reason: RegExp;
  stored: StoredRows;
  headers?: Record<string, RegExp>;
}

export interface CaseAnswer {
  status: number;
  headers: Record<string, string[]>;
  json?: Record<string, unknown>;
  receiptId?: string;
}

export interface BadRequestCase {
  id: string;
  group: string;
  title: string;
  request(context: CaseContext): WireRequest | Promise<WireRequest>;
  expect: Expectation;
  /** Where a host behaves differently from `expect`: the difference and why. */
  hosts?: Partial<Record<HostKind, { expect: Partial<Expectation>; why: string }>>;
  /** Further checks on the answer and on what was stored; throw to fail. */
  check?(answer: CaseAnswer, storePath: string): void;
  /** Slow cases (a drip feed waiting for the body timeout). */
  timeoutMs?: number;
  /**
   * The expectation holds only if the host reads its clock in the second the request was signed in (timestamp
   * tolerance edges). A run whose answer came back in a later second — a loaded machine — is sent again, with a
   * freshly signed request, up to three times.
   */
  sameSecond?: boolean;
}

export function expectationFor(testCase: BadRequestCase, host: HostKind): Expectation {
  const override = testCase.hosts?.[host]?.expect;
  return override ? { ...testCase.expect, ...override } : testCase.expect;
}

export const NOTHING_STORED: StoredRows = { receipts: 0, events: {}, incidents: 0 };
export const ACCEPTED_FOR_REVIEW: StoredRows = { receipts: 1, events: { pending_review: 1 }, incidents: 0 };
export const KEPT_IN_QUARANTINE: StoredRows = { receipts: 1, events: { quarantined: 1 }, incidents: 0 };
