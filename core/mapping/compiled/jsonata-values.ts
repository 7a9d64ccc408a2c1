/**
 * JSONata's value semantics, for mappings compiled to plain functions: sequences (arrays flagged `sequence`,
 * unwrapped to their only item or to nothing), effective boolean values, deep equality, `lookup`, `append` and
 * `string()`. Each function here follows the interpreter's own (jsonata 2.x) line by line, so that a compiled
 * mapping and the interpreter give the same result; where the interpreter would throw, these throw too and the
 * caller falls back to the interpreter, which then reports the error in its own words.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

/** Largest sequence the interpreter builds before it fails (GUARDRAILS.sequence). */
export const SEQUENCE_LIMIT = 100_000;

/** An array JSONata built while evaluating, as opposed to an array from the payload or an array constructor. */
export type Sequence = unknown[] & { sequence?: boolean; keepSingleton?: boolean; outerWrapper?: boolean; cons?: boolean };

/**
 * Work done by the current compiled evaluation: every item a step, filter or built-in visits. A compiled run
 * that would do more than {@link WORK_LIMIT} gives up and the interpreter (cooperative, with its time and
 * sequence limits) evaluates the payload instead, so a compiled run never holds the event loop for long and never
 * builds a sequence the interpreter would refuse.
 */
export const WORK_LIMIT = 60_000;
/**
 * Longest a compiled run may take before it hands over: on a loaded machine the work limit alone could take
 * long enough to eat into the time the interpreter still needs within a user mapping's hard deadline.
 */
export const WORK_TIME_MS = 3;
export const work = { done: 0, calls: 0, startedAt: 0 };

export function startWork(): void {
  work.done = 0;
  work.calls = 0;
  work.startedAt = performance.now();
}

/** Thrown where the compiled form does not cover a case; the interpreter evaluates the payload instead. */
export class FallBack extends Error {}

export function countWork(items: number): void {
  work.done += items;
  if (work.done > WORK_LIMIT) throw new FallBack('compiled evaluation over its work limit');
  if ((++work.calls & 0x3ff) === 0 && performance.now() - work.startedAt > WORK_TIME_MS) throw new FallBack('compiled evaluation over its time slice');
}

export function createSequence(...items: unknown[]): Sequence {
  const sequence = items as Sequence;
  sequence.sequence = true;
  return sequence;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** A lambda, a built-in, a regular expression: anything JSONata calls a function. */
export function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  return value !== null && typeof value === 'object' && ((value as Record<string, unknown>)._jsonata_function === true || (value as Record<string, unknown>)._jsonata_lambda === true);
}

/** JSONata's `isNumeric`: a number that is not NaN; an infinite one is an error. */
export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw { code: 'D1001', value };
  return true;
}

export function isArrayOfNumbers(value: unknown): boolean {
  // Every item is looked at (no short cut): an infinite one throws, as in the interpreter.
  return Array.isArray(value) && value.filter((item) => !isNumeric(item)).length === 0;
}

/** What `evaluate` does with every node's result: an empty sequence is nothing, a singleton its only item. */
export function normalise(result: unknown, keepArray: boolean): unknown {
  if (result && isSequence(result)) {
    if (keepArray) result.keepSingleton = true;
    if (result.length === 0) return undefined;
    if (result.length === 1) return result.keepSingleton ? result : result[0];
  }
  return result;
}

/** JSONata's `$boolean` (the effective boolean value); undefined stays undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0]);
    return value.length > 1 && value.filter((item) => toBoolean(item)).length > 0;
  }
  if (typeof value === 'string') return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === 'object' && !isFunction(value)) return Object.keys(value).length > 0;
  return value === true;
}

/** `and` / `or` operands: undefined counts as false. */
export function boolize(value: unknown): boolean {
  return toBoolean(value) ?? false;
}

export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    countWork(input.length);
    const result = createSequence();
    for (const item of input) {
      const found = lookup(item, key);
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const value of found) result.push(value);
      else result.push(found);
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

export function append(first: unknown, second: unknown): unknown {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const left = Array.isArray(first) ? first : createSequence(first);
  const right = Array.isArray(second) ? second : [second];
  const size = left.length + right.length;
  if (size > SEQUENCE_LIMIT) throw { code: 'D2015', value: size };
  countWork(right.length);
  return left.concat(right);
}

export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false;
    for (let index = 0; index < lhs.length; index++) if (!isDeepEqual(lhs[index], rhs[index])) return false;
    return true;
  }
  const leftKeys = Object.getOwnPropertyNames(lhs).sort();
  const rightKeys = Object.getOwnPropertyNames(rhs).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  for (let index = 0; index < leftKeys.length; index++) if (leftKeys[index] !== rightKeys[index]) return false;
  for (const key of leftKeys) if (!isDeepEqual((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key])) return false;
  return true;
}

/** JSONata's `$string` without prettifying: what `&` and `$string()` make of a value. */
export function toText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isFunction(value)) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) throw { code: 'D3001', value };
  const subject = Array.isArray(value) && (value as Sequence).outerWrapper ? value[0] : value;
  return JSON.stringify(subject, (_key, item: unknown) => {
    if (item !== undefined && item !== null && isNumeric(item)) return !Number.isInteger(item) ? Number(item.toPrecision(15)) : item;
    return item && isFunction(item) ? '' : item;
  });
}

export function flatten(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) flatten(item, into);
  else into.push(value);
  return into;
}
