import type { Clock } from '../clock';
import type { DeliveryTarget } from '../delivery/delivery-target';
import { systemClock } from '../clock';
import { headerValues, type HeaderBag } from '../http/headers';
import { newId } from '../ids';
import { budgetCounters, budgetSpentFrom, chargeReadBudgets, type BudgetDecision } from '../limits/budgets';
import { fixedWindow } from '../limits/windows';
import type { Normaliser, NormaliseResult } from '../mapping/normaliser';
import { verifyRequest, type QueryParams } from '../signing';
import { bodySha256 } from '../signing/body-digest';
import { disableSource } from '../sources/disable-source';
import { noteAcceptedSecret } from '../sources/secret-rotation';
import type { ReceiptRecord } from '../store/records';
import { StoreUnavailableError } from '../store/store-errors';
import type { Repositories, Store } from '../store/store';
import { outcome, responseBody, type IntakeOutcome } from './outcome';
import { parseAndNormalise, type ParsedAndNormalised } from './parse-and-normalise';
import { noteWritten } from './written-records';
import { recordCandidates } from './record-candidates';
import type { IntakeState } from '../store/repositories/intake-repository';
import { earlierAnswer, refusalCounter, rememberRequest, replayIdentity, type ReplayIdentity } from './replay-guard';
import type { SourceConfig } from './source-config';

export interface IntakeRequest {
  headers: HeaderBag;
  /** The exact bytes received, before any parsing (signatures are over these). */
  rawBody: Buffer;
  query?: QueryParams;
  receivedAt?: Date;
}

export interface IntakeDependencies {
  store: Store;
  normaliser: Normaliser;
  clock?: Clock;
  /** Destinations to enqueue every incident change for, atomically with the change itself. */
  deliverTo?: readonly DeliveryTarget[];
}

/** Header that marks the "send a test event" check of source setup: verified and mapped, never stored. */
export const TEST_EVENT_HEADER = 'x-incident-intake-test';

/** How long a sender should wait before retrying a disabled source. */
const DISABLED_RETRY_AFTER_SECONDS = 300;

/**
 * The one entry point hosts call for every request a source sends:
 * cap → verify → parse → normalise → validate, then in one transaction replay check → source state → budget →
 * dedupe → decide → write. Refusals are answered as if checked in that order (a replay or a spent budget wins
 * over a malformed body).
 * Never throws: a store outage becomes 503 and anything unexpected 500, so a host can always answer.
 */
export async function handleIntake(source: SourceConfig | undefined, request: IntakeRequest, dependencies: IntakeDependencies): Promise<IntakeOutcome> {
  try {
    return await runIntake(source, request, dependencies);
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      return outcome('store_unavailable', 'the intake store is unavailable; retry later', { headers: { 'Retry-After': '30' } });
    }
    return outcome('internal_error', 'the request could not be processed; it was not stored');
  }
}

async function runIntake(source: SourceConfig | undefined, request: IntakeRequest, dependencies: IntakeDependencies): Promise<IntakeOutcome> {
  if (!source) return outcome('unknown_source', 'no intake source is configured at this address');
  const { store } = dependencies;
  const now = request.receivedAt?.getTime() ?? (dependencies.clock ?? systemClock).now();
  if (request.rawBody.length > source.limits.maxBodyBytes) {
    return outcome('payload_too_large', `the request body exceeds ${source.limits.maxBodyBytes} bytes`);
  }
  const verified = verifyRequest(source.auth, { headers: request.headers, rawBody: request.rawBody, query: request.query, now: new Date(now) });
  if (!verified.ok) return outcome('unauthorized', `authentication failed (${verified.code}): ${verified.message}`);

  if (headerValues(request.headers, TEST_EVENT_HEADER).length > 0) return runTestEvent(source, request, dependencies, now);

  const receipt = newReceipt(source, request, verified.messageId, verified.replayKey, now);
  const context = { tenant: source.tenant, sourceId: source.id, provider: source.provider, receivedAt: new Date(now) };
  // Mapped before the store is touched so the whole admission — replay check, source state, budgets and the
  // write — is one transaction: one commit per request, and a request that is not stored is never charged.
  const parsed = await parseAndNormalise(request.headers, request.rawBody, source.limits.maxJsonDepth, dependencies.normaliser, context);
  try {
    const replay = replayIdentity(verified);
    return await store.transaction((r) => admitAndStore(r, { source, receipt, replay, rawBody: request.rawBody, parsed, dependencies, now, secretLabel: verified.secretLabel }));
  } catch (error) {
    if (!(error instanceof BudgetRefusal)) throw error;
    if (error.decision.code === 'tenant_budget_exhausted') {
      return outcome('tenant_budget_exhausted', error.decision.message, { headers: { 'Retry-After': String(error.decision.retryAfterSeconds) } });
    }
    await store.transaction(async (r) => {
      await r.sources.ensure(source.tenant, source.id, source.provider, source.name ?? source.id, now);
      await disableSource(r, source.tenant, source.id, error.decision.message, 'system', now);
    });
    return outcome('source_limit_exceeded', `${error.decision.message}; it is now disabled until re-enabled`, { headers: { 'Retry-After': String(DISABLED_RETRY_AFTER_SECONDS) } });
  }
}

/** Thrown inside the admission transaction so everything the request wrote, and its counts, roll back. */
class BudgetRefusal extends Error {
  constructor(readonly decision: Exclude<BudgetDecision, { ok: true }>) {
    super(decision.message);
  }
}

/** One request on its way into the store: everything the admission transaction needs. */
interface Admission {
  source: SourceConfig;
  receipt: ReceiptRecord;
  replay: ReplayIdentity;
  rawBody: Buffer;
  parsed: ParsedAndNormalised;
  dependencies: IntakeDependencies;
  now: number;
  /** Which of the source's secrets the request was signed with (a name, never the value). */
  secretLabel?: string;
}

/**
 * In the order the answers promise: replay → source state → budget → content type → store. Everything the
 * decision needs is read first, in one batch (see IntakeRepository: on PostgreSQL one round trip with the
 * locks); the writes are queued and go with the COMMIT. The budgets are read with the rest (a flood beyond
 * them is refused before anything is written) and counted last; a count that another request took to its
 * limit in between reruns this unit of work, which then reads the budget spent.
 */
async function admitAndStore(r: Repositories, admission: Admission): Promise<IntakeOutcome> {
  const { source, receipt, now } = admission;
  const budgets = budgetCounters(source.id, source.limits, now);
  const state = await r.intake.read({
    tenant: source.tenant,
    sourceId: source.id,
    replayKey: receipt.replayKey,
    replayKeys: admission.replay.keys,
    counters: [...budgets, refusalCounter(source.id, now)],
    // In one order for every request, so two requests carrying the same identities cannot deadlock.
    dedupeKeys: admission.parsed.ok ? [...new Set(admission.parsed.result.candidates.map(({ incident }) => incident.dedupeKey))].sort() : [],
  });
  const earlier = await earlierAnswer(r, source, receipt, { ...state, refusalsAudited: state.counts[2] ?? 0 });
  if (earlier) return earlier;
  const record = await r.sources.ensure(source.tenant, source.id, source.provider, source.name ?? source.id, now, { record: state.source });
  if (!record.enabled) return disabledAnswer(record.disabledReason);
  const spent = budgetSpentFrom(state.counts, source.limits, now);
  if (!spent.ok) throw new BudgetRefusal(spent);
  const answer = await decideAndStore(r, admission, state);
  await chargeReadBudgets(r.counters, source.tenant, budgets);
  if (answer.stored) await noteAcceptedSecret(r, record, admission.secretLabel, now);
  return answer;
}

async function decideAndStore(r: Repositories, admission: Admission, state: IntakeState): Promise<IntakeOutcome> {
  const { parsed, dependencies } = admission;
  if (!parsed.ok && parsed.code === 'unsupported_media_type') return outcome('unsupported_media_type', parsed.message);
  if (parsed.ok) return storeRequest(r, admission, state, parsed.result, undefined);
  const quarantined = [{ index: 0, reasons: [{ field: 'body', message: parsed.message }], partial: null }];
  return storeRequest(r, admission, state, { mappingVersion: dependencies.normaliser.mappingVersion, candidates: [], filtered: [], quarantined }, parsed.message);
}

async function storeRequest(r: Repositories, admission: Admission, state: IntakeState, normalised: NormaliseResult, malformedReason: string | undefined): Promise<IntakeOutcome> {
  const { source, receipt, rawBody, dependencies, now } = admission;
  // A twin committing the same replay key after the reads makes this rerun, and the rerun answers as a replay.
  await r.receipts.insertNew(receipt);
  const recorded = await recordCandidates(r, { receipt, mode: source.mode, normalised, now, deliverTo: dependencies.deliverTo, known: state });
  const answer = summarise(receipt.id, recorded, malformedReason);
  if (recorded.written) noteWritten(answer, recorded.written.events, recorded.written.incidents);
  await r.receipts.setAnswer(receipt.id, answer.status, answer.code, responseBody(answer), rawBody);
  await rememberRequest(r, receipt, admission.replay, answer.status);
  if (normalised.quarantined.length > 0) await noteQuarantine(r, source, normalised, now);
  return answer;
}

function summarise(receiptId: string, recorded: Awaited<ReturnType<typeof recordCandidates>>, malformedReason: string | undefined): IntakeOutcome {
  const extra = { receiptId, events: recorded.events, incidents: recorded.incidents, stored: true };
  if (malformedReason) return outcome('malformed', `${malformedReason}; the body was kept in quarantine`, extra);
  const states = recorded.events.map((event) => event.state);
  if (states.length === 0) return outcome('filtered', 'the payload carried no alerts', extra);
  if (states.every((state) => state === 'quarantined')) return outcome('quarantined', 'the event lacks mandatory data and was quarantined', extra);
  if (states.every((state) => state === 'filtered')) return outcome('filtered', "the event is below the source's severity filter and was recorded as filtered", extra);
  if (states.every((state) => state === 'stale')) return outcome('stale', 'the event is older than the newest event of its incident; it was recorded as stale and not applied (do not retry)', extra);
  const counts = countStates(states);
  return outcome('accepted', `accepted: ${counts}`, extra);
}

function countStates(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}

/** Counts quarantined events in the source's window and disables a source that keeps sending unusable data. */
async function noteQuarantine(r: Repositories, source: SourceConfig, normalised: NormaliseResult, now: number) {
  const first = normalised.quarantined[0]!.reasons[0];
  await r.sources.recordError(source.tenant, source.id, `quarantined: ${first ? `${first.field} ${first.message}` : 'mapping failed'}`, now);
  const { quarantineDisableCount: limit, quarantineWindowSeconds: seconds } = source.limits;
  const window = fixedWindow(now, seconds);
  let count: number | undefined;
  for (let i = 0; i < normalised.quarantined.length; i++) {
    count = await r.counters.incrementWithin(source.tenant, `quarantine:${source.id}`, window, limit);
  }
  if (count === undefined || count >= limit) {
    await disableSource(r, source.tenant, source.id, `${limit} events quarantined within ${seconds} s`, 'system', now);
  }
}

async function runTestEvent(source: SourceConfig, request: IntakeRequest, { store, normaliser }: IntakeDependencies, now: number): Promise<IntakeOutcome> {
  const context = { tenant: source.tenant, sourceId: source.id, provider: source.provider, receivedAt: new Date(now) };
  const parsed = await parseAndNormalise(request.headers, request.rawBody, source.limits.maxJsonDepth, normaliser, context);
  if (!parsed.ok) return outcome('test_failed', `test event failed: ${parsed.message}`);
  const { result } = parsed;
  const usable = result.candidates.length + result.filtered.length;
  if (result.quarantined.length > 0 || usable === 0) {
    const reasons = result.quarantined.flatMap((item) => item.reasons);
    const detail = reasons.map((reason) => `${reason.field} ${reason.message}`).join('; ') || 'no alerts in the payload';
    return outcome('test_failed', `test event failed: ${detail}`);
  }
  await store.transaction(async (r) => {
    await r.sources.ensure(source.tenant, source.id, source.provider, source.name ?? source.id, now);
    await r.sources.markTestPassed(source.tenant, source.id, now);
    await r.audit.append({ tenant: source.tenant, at: now, actor: 'system', action: 'source.test_passed', subjectType: 'source', subjectId: source.id, details: { candidates: usable } });
  });
  return outcome('test_passed', `test event passed: signature valid, ${usable} candidate(s) mapped; nothing was stored`);
}

function newReceipt(source: SourceConfig, request: IntakeRequest, messageId: string | undefined, replayKey: string, now: number): ReceiptRecord {
  return {
    id: newId('rcp'),
    tenant: source.tenant,
    sourceId: source.id,
    replayKey,
    messageId: messageId ?? null,
    receivedAt: now,
    bodySha256: bodySha256(request.rawBody),
    contentType: headerValues(request.headers, 'content-type')[0]?.slice(0, 200) ?? null,
    httpStatus: 0,
    outcome: 'processing',
    response: {},
  };
}

function disabledAnswer(reason: string | null): IntakeOutcome {
  return outcome('source_disabled', `this source is disabled (${reason ?? 'by an operator'}); re-enable it after a clean test event`, {
    headers: { 'Retry-After': String(DISABLED_RETRY_AFTER_SECONDS) },
  });
}
