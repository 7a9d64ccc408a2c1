import { timeSlicer } from '../limits/time-slice';
import { assembleCandidate } from './assemble-candidate';
import type { EvaluationBindings } from './evaluation-plan';
import { acquireSharedPool, releaseSharedPool } from './guard/shared-pool';
import type { MappingWorkerPool } from './guard/mapping-worker-pool';
import { buildMappingPlan, DEFAULT_MAPPING_TIMEOUT_MS } from './mapping-plan';
import type { MappingPlan } from './mapping-plan';
import type { MappingConfigInput } from './mapping-config';
import type { JsonNormaliseResult, NormaliseContext, NormaliseResult, Normaliser, QuarantineReason } from './normaliser';
import { withoutPlaceholders } from './placeholders';
import { runMapping } from './run-mapping';
import type { MappedItem, MappingRunOutput } from './run-mapping';
import { severityFilterReason } from './severity-filter';
import { validateCandidate } from './validate-candidate';
import { MappingConfigError, validateMappingConfig } from './validate-mapping-config';

export interface NormaliserOptions {
  /** Time limit per event for the mapping; overruns are quarantined. Default 250 ms. */
  timeoutMs?: number;
  /** Pool for user mappings; default the shared process-wide pool. */
  pool?: MappingWorkerPool;
  /**
   * Evaluate with JSONata's interpreter only, never the compiled form of the mapping (docs/mappings.md). Both give
   * the same results; this exists for the differential test and for ruling the compiled form out.
   */
  interpreterOnly?: boolean;
}

/** Extra time a worker gets to decode and parse a large body before the mapping's own limit starts. */
const JSON_PARSE_ALLOWANCE_MS = 2_000;

export interface ClosableNormaliser extends Normaliser {
  /** Releases this normaliser's hold on the mapping workers. */
  close(): Promise<void>;
}

/**
 * The Normaliser for one source's mapping config. The config is validated here (save time): a bad one
 * throws {@link MappingConfigError} with every issue located. Presets run in-process; anything the user
 * wrote runs on the guarded worker pool. `normalise` itself never throws.
 */
export function createNormaliser(config: MappingConfigInput, options: NormaliserOptions = {}): ClosableNormaliser {
  const validation = validateMappingConfig(config);
  if (!validation.ok) throw new MappingConfigError(validation.issues);
  const plan = buildMappingPlan(validation.config, options.timeoutMs ?? DEFAULT_MAPPING_TIMEOUT_MS, options.interpreterOnly === true);
  const pools = poolsFor(plan, options.pool);
  return {
    mappingVersion: plan.mappingVersion,
    normalise: (payload, context) => normaliseSafely(plan, pools.forMappings(), payload, context),
    normaliseJson: (body, maxDepth, context) => normaliseJsonSafely(plan, pools.forJson(), body, maxDepth, context),
    close: () => pools.release(),
  };
}

/**
 * User mappings always run on the worker pool; presets run in-process, except on large bodies, which the pool
 * parses as well. The shared pool is taken when first needed and given back on close.
 */
function poolsFor(plan: MappingPlan, given: MappingWorkerPool | undefined) {
  let acquired: MappingWorkerPool | undefined;
  let closed = false;
  const pool = () => given ?? (acquired ??= acquireSharedPool());
  if (!plan.trusted) pool();
  return {
    forMappings: () => (plan.trusted ? undefined : pool()),
    forJson: pool,
    async release() {
      if (closed || !acquired) return;
      closed = true;
      await releaseSharedPool();
    },
  };
}

async function normaliseJsonSafely(plan: MappingPlan, pool: MappingWorkerPool, body: Uint8Array, maxDepth: number, context: NormaliseContext): Promise<JsonNormaliseResult> {
  try {
    const json = { body, maxDepth, placeholders: plan.placeholderPatterns.map((pattern) => [pattern.source, pattern.flags] as [string, string]) };
    const run = await pool.runJson(plan.evaluation, json, bindingsFor(plan, context), plan.evaluation.timeoutMs + JSON_PARSE_ALLOWANCE_MS);
    if (!run.ok && run.malformed) return { ok: false, message: run.reason.message };
    return { ok: true, result: await classifyRun(plan, run, context) };
  } catch (error) {
    const message = `mapping failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: true, result: { ...emptyResult(plan), quarantined: [{ index: 0, reasons: [{ field: 'mapping', message }], partial: null }] } };
  }
}

async function normaliseSafely(plan: MappingPlan, pool: MappingWorkerPool | undefined, payload: unknown, context: NormaliseContext): Promise<NormaliseResult> {
  try {
    return await normalise(plan, pool, payload, context);
  } catch (error) {
    const message = `mapping failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
    return { ...emptyResult(plan), quarantined: [{ index: 0, reasons: [{ field: 'mapping', message }], partial: null }] };
  }
}

function bindingsFor(plan: MappingPlan, context: NormaliseContext): EvaluationBindings {
  const instance = context.instance ?? plan.instance;
  return {
    provider: plan.provider,
    ...(instance !== undefined ? { instance } : {}),
    timezone: plan.timezone,
    receivedAt: context.receivedAt.toISOString(),
  };
}

async function normalise(plan: MappingPlan, pool: MappingWorkerPool | undefined, payload: unknown, context: NormaliseContext): Promise<NormaliseResult> {
  const bindings = bindingsFor(plan, context);
  const cleaned = withoutPlaceholders(payload, plan.placeholderPatterns);
  const run = pool
    ? await pool.run(plan.evaluation, cleaned, bindings, plan.evaluation.timeoutMs)
    : await runMapping(plan.evaluation, cleaned, bindings);
  return classifyRun(plan, run, context);
}

async function classifyRun(plan: MappingPlan, run: MappingRunOutput, context: NormaliseContext): Promise<NormaliseResult> {
  const result = emptyResult(plan);
  if (!run.ok) {
    result.quarantined.push({ index: 0, reasons: [run.reason], partial: null });
    return result;
  }
  const pause = timeSlicer();
  for (const [index, item] of run.items.entries()) {
    await pause();
    classify(plan, item, index, context, result);
  }
  return result;
}

function classify(plan: MappingPlan, item: MappedItem, index: number, context: NormaliseContext, result: NormaliseResult): void {
  const { candidate, reasons } = assembleCandidate(item.output, plan, context.instance, context.receivedAt.toISOString());
  const earlier = [...item.errors, ...reasons];
  if (!candidate) {
    result.quarantined.push({ index, reasons: earlier, partial: null });
    return;
  }
  const validation = validateCandidate(candidate);
  if (!validation.ok || earlier.length > 0) {
    const later = validation.ok ? [] : notAlreadyReported(validation.reasons, earlier);
    result.quarantined.push({ index, reasons: [...earlier, ...later], partial: candidate });
    return;
  }
  const filtered = severityFilterReason(validation.incident.severity, plan.severityFilter);
  if (filtered) result.filtered.push({ index, incident: validation.incident, reason: filtered });
  else result.candidates.push({ index, incident: validation.incident });
}

/**
 * A field the tables or an override already explained should not also read "is required", nor should the
 * default dedupe key or the detected-time source, which only go missing because the external id or the
 * detected time is missing or invalid.
 */
function notAlreadyReported(reasons: QuarantineReason[], earlier: QuarantineReason[]): QuarantineReason[] {
  const explained = new Set(earlier.map((reason) => reason.field));
  const failed = new Set(reasons.map((reason) => reason.field));
  const follows: Record<string, string> = { dedupeKey: 'externalId', detectedAtSource: 'detectedAt' };
  const consequence = (reason: QuarantineReason) => reason.message === 'is required' && Object.hasOwn(follows, reason.field) && failed.has(follows[reason.field]);
  return reasons.filter((reason) => !explained.has(reason.field) && !consequence(reason));
}

function emptyResult(plan: MappingPlan): NormaliseResult {
  return { mappingVersion: plan.mappingVersion, candidates: [], quarantined: [], filtered: [] };
}
