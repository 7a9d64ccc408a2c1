import { compileMapping, GUARDRAILS } from './compile-mapping';
import type { CompiledMapping } from './compile-mapping';
import { evaluateMapping } from './evaluate-mapping';
import type { EvaluationBindings, EvaluationPlan } from './evaluation-plan';
import type { QuarantineReason } from './normaliser';

/**
 * Evaluates a mapping against one payload and returns plain JSON per incident. Runs in-process for presets
 * and inside the mapping worker for user mappings; it never throws.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

export interface MappedItem {
  /** What the mapping produced for this incident, before tables and validation. */
  output: unknown;
  /** Per-field failures of overrides, custom fields or the regulatory path. */
  errors: QuarantineReason[];
}

/** `malformed`: the body itself was not JSON (large bodies are parsed by the mapping worker). */
export type MappingRunOutput = { ok: true; items: MappedItem[] } | { ok: false; reason: QuarantineReason; malformed?: true };

/**
 * Most incidents one request may carry. Every one is validated and written on the host's event loop, and a
 * mapping that fans a payload out into tens of thousands would hold it for seconds; real batches
 * (Alertmanager groups, Elastic bulk alerts) stay far below.
 */
export const MAX_INCIDENTS_PER_PAYLOAD = 1_000;

export async function runMapping(plan: EvaluationPlan, payload: unknown, bindings: EvaluationBindings): Promise<MappingRunOutput> {
  try {
    const main = compiled(plan.expression, plan.timeoutMs);
    const result = await evaluateMapping(main, payload, { ...bindings }, plan.interpreterOnly);
    if (result === undefined) return failure('the mapping produced no incident for this payload');
    if (producesFunction(result)) return failure('the mapping produced a function instead of an incident');
    const outputs = toPlainList(result);
    if (outputs.length > MAX_INCIDENTS_PER_PAYLOAD) {
      return failure(`the mapping produced ${outputs.length} incidents for one payload, over the ${MAX_INCIDENTS_PER_PAYLOAD} one request may carry`);
    }
    if (!hasPerAlertParts(plan)) return { ok: true, items: outputs.map((output) => ({ output, errors: [] })) };
    const contexts = plan.alertsExpression ? toPlainList(await evaluateMapping(compiled(plan.alertsExpression, plan.timeoutMs), payload, { ...bindings }, plan.interpreterOnly)) : [payload];
    const items: MappedItem[] = [];
    for (const [index, output] of outputs.entries()) {
      items.push(await applyPerAlertParts(plan, output, { alert: contexts[index] ?? payload, payload, index, bindings }));
    }
    return { ok: true, items };
  } catch (error) {
    return failure(describeEvaluationError(error, plan.timeoutMs));
  }
}

function failure(message: string): MappingRunOutput {
  return { ok: false, reason: { field: 'mapping', message } };
}

function compiled(text: string, timeoutMs: number): CompiledMapping {
  const result = compileMapping(text, timeoutMs);
  if (!result.ok) throw new Error(`mapping does not compile: ${result.error.message} (line ${result.error.line}, column ${result.error.column})`);
  return result.mapping;
}

function hasPerAlertParts(plan: EvaluationPlan): boolean {
  return Object.keys(plan.fieldOverrides).length > 0 || Object.keys(plan.customFields).length > 0 || plan.regulatoryRefsPath !== undefined;
}

interface AlertScope {
  alert: unknown;
  payload: unknown;
  index: number;
  bindings: EvaluationBindings;
}

async function applyPerAlertParts(plan: EvaluationPlan, output: unknown, scope: AlertScope): Promise<MappedItem> {
  if (!isRecord(output)) return { output, errors: [] };
  const item: Record<string, unknown> = { ...output };
  const errors: QuarantineReason[] = [];
  const evaluate = async (field: string, text: string): Promise<{ ok: boolean; value?: unknown }> => {
    try {
      const bindings = { ...scope.bindings, payload: scope.payload, candidate: output, index: scope.index };
      return { ok: true, value: toPlain(await evaluateMapping(compiled(text, plan.timeoutMs), scope.alert, bindings, plan.interpreterOnly)) };
    } catch (error) {
      errors.push({ field, message: describeEvaluationError(error, plan.timeoutMs) });
      return { ok: false };
    }
  };
  for (const [field, text] of Object.entries(plan.fieldOverrides)) {
    const result = await evaluate(field, text);
    if (result.ok) setOrDelete(item, field, result.value);
  }
  // The preset's word on where its detectedAt came from does not cover a detectedAt the user replaced.
  if (Object.hasOwn(plan.fieldOverrides, 'detectedAt')) delete item.detectedAtSource;
  await applyCustomFields(plan, item, evaluate);
  if (plan.regulatoryRefsPath !== undefined) {
    const result = await evaluate('regulatoryRefs', plan.regulatoryRefsPath);
    if (result.ok) item.regulatoryRefs = result.value === undefined ? [] : result.value;
  }
  return { output: item, errors };
}

async function applyCustomFields(
  plan: EvaluationPlan,
  item: Record<string, unknown>,
  evaluate: (field: string, text: string) => Promise<{ ok: boolean; value?: unknown }>,
): Promise<void> {
  const entries = Object.entries(plan.customFields);
  if (entries.length === 0) return;
  const labels: Record<string, unknown> = isRecord(item.labels) ? { ...item.labels } : {};
  for (const [name, text] of entries) {
    const result = await evaluate(`labels.${name}`, text);
    if (result.ok) setOrDelete(labels, name, result.value);
  }
  item.labels = labels;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** A readable reason for an evaluation failure; guardrail trips name the limit that was hit. */
export function describeEvaluationError(error: unknown, timeoutMs: number): string {
  const details = (error ?? {}) as { code?: string; message?: string; position?: number };
  switch (details.code) {
    case 'D1012':
      return `mapping exceeded ${timeoutMs} ms`;
    case 'D1011':
      return `mapping exceeded the maximum evaluation depth (${GUARDRAILS.stack})`;
    case 'D2014':
    case 'D2015':
      return `mapping exceeded the maximum sequence size (${GUARDRAILS.sequence})`;
  }
  if (error instanceof RangeError) return `mapping exceeded the maximum evaluation depth (${error.message})`;
  const message = details.message ?? String(error);
  const where = typeof details.position === 'number' ? ` (at character ${details.position})` : '';
  return details.code ? `${details.code}: ${message}${where}` : `${message}${where}`;
}

/** A lambda, or a list with one in it, where incidents were expected: a broken mapping, not "no alerts". */
function producesFunction(value: unknown): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.some((item) => isRecord(item) && Boolean(item._jsonata_lambda || item._jsonata_function));
}

function toPlainList(value: unknown): unknown[] {
  const plain = toPlain(value);
  if (plain === undefined) return [];
  return Array.isArray(plain) ? plain : [plain];
}

const MAX_OUTPUT_DEPTH = 64;

/** JSON-safe copy of a JSONata result: sequences become arrays, functions and undefined disappear. */
function toPlain(value: unknown, depth = 0): unknown {
  if (depth > MAX_OUTPUT_DEPTH) throw new Error(`mapping output is nested deeper than ${MAX_OUTPUT_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1)).filter((item) => item !== undefined);
  if (isRecord(value)) {
    if (value._jsonata_lambda || value._jsonata_function) return undefined;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const plain = toPlain(item, depth + 1);
      if (plain !== undefined) copy[key] = plain;
    }
    return copy;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
