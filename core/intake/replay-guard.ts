import { fixedWindow } from '../limits/windows';
import { replayKeysOf } from '../signing/replay-key';
import type { ReceiptRecord } from '../store/records';
import type { IntakeState } from '../store/repositories/intake-repository';
import type { ReplayKeyEntry, ReplayKeyMatch } from '../store/repositories/replay-key-repository';
import type { Repositories } from '../store/store';
import { outcome, type IntakeOutcome } from './outcome';
import type { SourceConfig } from './source-config';

/** Refused replays of forgotten receipts audited per source and hour; further ones only update source health. */
const AUDITED_REPLAYS_PER_HOUR = 10;

/** The keys a request is remembered under. */
export interface ReplayIdentity {
  keys: string[];
  entries: ReplayKeyEntry[];
}

/**
 * The content key lives long unless the signature covered a timestamp; a delivery id is always short-lived:
 * it serves senders' retries, while a captured request sent again (under any id) matches its content key.
 */
export function replayIdentity(verified: { replayKey: string; messageId?: string; timestamp?: number }): ReplayIdentity {
  const keys = replayKeysOf(verified.replayKey, verified.messageId);
  const timestamped = verified.timestamp !== undefined;
  return { keys, entries: keys.map((key, index) => ({ key, shortLived: timestamped || index > 0 })) };
}

/**
 * The answer for a request already stored, or undefined for a new one, from the admission's first reads (the
 * replay keys read before the receipt: both commit together, so a copy of a request that another process
 * commits between the two reads still finds its receipt and gets the first answer in full, with its receipt
 * id). The receipt, while retention keeps it, gives the first answer in full; after that the replay-key table
 * still refuses it with the first status, and a refusal of that kind (an old request sent again, or a retry
 * under the same delivery id) is marked in source health and the audit trail.
 */
export async function earlierAnswer(
  r: Repositories,
  source: SourceConfig,
  receipt: ReceiptRecord,
  found: Pick<IntakeState, 'receipt' | 'remembered'> & { refusalsAudited: number },
): Promise<IntakeOutcome | undefined> {
  if (found.receipt) return replayedAnswer(found.receipt);
  if (!found.remembered) return undefined;
  await markRefusedReplay(r, source, found.remembered, receipt.receivedAt, found.refusalsAudited);
  return rememberedAnswer(found.remembered);
}

/** The counter of refused replays audited this hour, read with the admission's other reads. */
export function refusalCounter(sourceId: string, now: number): { name: string; windowStart: number } {
  return { name: `replay-refused:${sourceId}`, windowStart: fixedWindow(now, 3600) };
}

/** Written in the same transaction as the receipt, once its answer is known. */
export async function rememberRequest(r: Repositories, receipt: ReceiptRecord, identity: ReplayIdentity, httpStatus: number): Promise<void> {
  await r.replayKeys.remember(receipt.tenant, receipt.sourceId, identity.entries, { seenAt: receipt.receivedAt, httpStatus });
}

/** A retry or replay of a request already stored gets the answer the first one got; nothing new is written. */
export function replayedAnswer(earlier: ReceiptRecord): IntakeOutcome {
  const events = Array.isArray(earlier.response.events) ? (earlier.response.events as IntakeOutcome['events']) : [];
  return {
    ...outcome('duplicate', `already received as ${earlier.id}; nothing new was stored`),
    status: earlier.httpStatus,
    receiptId: earlier.id,
    events,
  };
}

function rememberedAnswer(remembered: ReplayKeyMatch): IntakeOutcome {
  const first = new Date(remembered.seenAt).toISOString();
  return { ...outcome('duplicate', `already received at ${first} (${matchedBy(remembered)}); refused as a replay, nothing new was stored`), status: remembered.httpStatus };
}

/** `audited`: the refusals audited this hour as read; counting one more that loses a race reruns the request. */
async function markRefusedReplay(r: Repositories, source: SourceConfig, remembered: ReplayKeyMatch, now: number, audited: number): Promise<void> {
  const firstSeenAt = new Date(remembered.seenAt).toISOString();
  await r.sources.recordError(source.tenant, source.id, `replay refused: a request first received at ${firstSeenAt} was sent again (${matchedBy(remembered)})`, now);
  if (audited >= AUDITED_REPLAYS_PER_HOUR) return;
  const counter = refusalCounter(source.id, now);
  await r.counters.chargeWithin(source.tenant, counter.name, counter.windowStart, AUDITED_REPLAYS_PER_HOUR);
  await r.audit.record({
    tenant: source.tenant,
    at: now,
    actor: 'system',
    action: 'request.replay_refused',
    subjectType: 'source',
    subjectId: source.id,
    details: { firstSeenAt, matchedBy: matchedBy(remembered), answeredStatus: remembered.httpStatus },
  });
}

function matchedBy(remembered: ReplayKeyMatch): string {
  return remembered.key.startsWith('delivery:') ? 'same delivery id' : 'same signed content';
}
