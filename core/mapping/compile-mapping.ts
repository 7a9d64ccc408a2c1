import jsonata from 'jsonata';
import { compileToFunction } from './compiled/compile-jsonata';
import type { CompiledExpression } from './compiled/compile-jsonata';
import { evaluateCooperatively } from './cooperative-evaluation';
import { registerMappingFunctions } from './mapping-functions';

/**
 * Save-time compilation of a JSONata mapping: syntax errors come back with position, line and column so the
 * editor can point at them, and compiled expressions are cached by their text.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

export interface MappingSyntaxError {
  message: string;
  /** 0-based character offset where the problem starts. */
  position: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSONata's error code, e.g. `S0201`; `X0001` for constructs this toolkit refuses. */
  code?: string;
}

export interface CompiledMapping {
  text: string;
  expression: jsonata.Expression;
  /** The same expression as a plain function, when all of it is in the compiled subset (evaluate-mapping.ts). */
  run?: CompiledExpression;
}

export type CompileResult = { ok: true; mapping: CompiledMapping } | { ok: false; error: MappingSyntaxError };

/** Guardrails JSONata checks while evaluating; the worker's hard deadline backs up the time limit. */
export const GUARDRAILS = {
  /** Max nesting of evaluation (deep recursion in a user function). */
  stack: 200,
  /** Max items in one sequence (runaway `[1..n]` or appends). */
  sequence: 100_000,
};

const CACHE_LIMIT = 500;
/**
 * Text → time limit → result. Keyed by the text itself (not a string built from it per call): a preset's text is
 * one long constant whose hash V8 keeps, so a lookup per evaluation costs next to nothing.
 */
const cache = new Map<string, Map<number, CompileResult>>();
let cached = 0;

export function compileMapping(text: string, timeoutMs = 250): CompileResult {
  const byTimeout = cache.get(text);
  const hit = byTimeout?.get(timeoutMs);
  if (hit && byTimeout) {
    // Most recently used last, so the least recently used text is the first to go.
    cache.delete(text);
    cache.set(text, byTimeout);
    return hit;
  }
  const result = compileUncached(text, timeoutMs);
  if (byTimeout) byTimeout.set(timeoutMs, result);
  else cache.set(text, new Map([[timeoutMs, result]]));
  cached++;
  while (cached > CACHE_LIMIT) {
    const [oldest, entries] = cache.entries().next().value as [string, Map<number, CompileResult>];
    cache.delete(oldest);
    cached -= entries.size;
  }
  return result;
}

function compileUncached(text: string, timeoutMs: number): CompileResult {
  if (text.trim() === '') return { ok: false, error: syntaxError(text, 0, 'the mapping is empty', 'X0002') };
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, { timeout: timeoutMs, stack: GUARDRAILS.stack, sequence: GUARDRAILS.sequence });
  } catch (error) {
    return { ok: false, error: fromJsonataError(text, error) };
  }
  const forbidden = findForbidden(expression.ast());
  if (forbidden) return { ok: false, error: syntaxError(text, forbidden.position, forbidden.message, 'X0001') };
  registerMappingFunctions(expression);
  evaluateCooperatively(expression);
  const compiled = compileToFunction(expression.ast());
  return { ok: true, mapping: { text, expression, ...(compiled.ok ? { run: compiled.run } : {}) } };
}

function fromJsonataError(text: string, error: unknown): MappingSyntaxError {
  const details = (error ?? {}) as { message?: string; position?: number; token?: string; code?: string };
  const end = typeof details.position === 'number' ? details.position : 0;
  // JSONata reports the end of the offending token; "(end)" stands for the end of the text itself.
  const tokenLength = typeof details.token === 'string' && details.token !== '(end)' ? details.token.length : 0;
  return syntaxError(text, Math.max(0, end - tokenLength), details.message ?? String(error), details.code);
}

function syntaxError(text: string, position: number, message: string, code?: string): MappingSyntaxError {
  const clamped = Math.min(Math.max(0, position), text.length);
  const before = text.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - before.lastIndexOf('\n');
  return { message, position: clamped, line, column, ...(code ? { code } : {}) };
}

const FORBIDDEN_FUNCTIONS: Record<string, string> = {
  eval: '$eval is not allowed in mappings: it would evaluate text from the event as an expression',
};

/** Walks the AST for references to forbidden functions (called or passed around as values). */
function findForbidden(node: unknown): { position: number; message: string } | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findForbidden(child);
      if (found) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (record.type === 'variable' && typeof record.value === 'string' && Object.hasOwn(FORBIDDEN_FUNCTIONS, record.value)) {
    const position = typeof record.position === 'number' ? record.position - record.value.length - 1 : 0;
    return { position, message: FORBIDDEN_FUNCTIONS[record.value] };
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'value' && record.type === 'regex') continue;
    const found = findForbidden(value);
    if (found) return found;
  }
  return undefined;
}
