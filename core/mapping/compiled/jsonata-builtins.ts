import jsonata from 'jsonata';
import { MAPPING_FUNCTIONS } from '../mapping-functions';
import { countWork, createSequence, FallBack, SEQUENCE_LIMIT, toBoolean } from './jsonata-values';
import type { Sequence } from './jsonata-values';

/**
 * The functions a compiled mapping can call. Most are JSONata's own implementations, taken from the library
 * itself together with their signatures (so argument checks, context arguments and conversions are the
 * interpreter's); the higher-order and matcher functions, which JSONata implements asynchronously, have
 * synchronous twins here written after its code. The toolkit's own mapping functions (mapping-functions.ts) are
 * the very functions the interpreter registers.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

interface Signature {
  validate(args: unknown[], context: unknown): unknown[];
}

/** The shape JSONata gives a built-in: its flags let `$type`, `$string` and the output copy recognise it. */
export interface NativeFunction {
  _jsonata_function: true;
  implementation: (this: Focus, ...args: never[]) => unknown;
  signature?: Signature;
}

/** What JSONata passes a built-in as `this`; `call` lets the higher-order ones invoke a compiled function. */
export interface Focus {
  input: unknown;
  options: { sequence: number };
  createSequence: (...items: unknown[]) => Sequence;
  call: (fn: unknown, args: unknown[]) => unknown;
}

/** JSONata built-ins whose own implementation is synchronous and pure: used as they are. */
const NATIVE = [
  'exists', 'not', 'boolean', 'error', 'assert', 'type', 'string', 'number', 'length', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'trim', 'pad', 'join', 'count', 'sum', 'max', 'min', 'average', 'floor', 'ceil', 'round', 'abs', 'lookup',
  'keys', 'merge', 'spread', 'append', 'reverse', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl',
] as const;

/** Built-ins JSONata implements asynchronously; the twins below take their place (with JSONata's signatures). */
const TWINS: Record<string, (this: Focus, ...args: never[]) => unknown> = { map, filter, contains, match, replace, split };

/** Every function name a compiled mapping may call. Anything else keeps the mapping on the interpreter. */
export const COMPILED_FUNCTION_NAMES: ReadonlySet<string> = new Set([...NATIVE, ...Object.keys(TWINS), ...Object.keys(MAPPING_FUNCTIONS)]);

let loaded: Map<string, NativeFunction> | undefined;
let loading: Promise<Map<string, NativeFunction>> | undefined;

/** The built-ins by name; undefined until {@link loadBuiltins} has finished once. */
export function builtins(): Map<string, NativeFunction> | undefined {
  return loaded;
}

/** Takes JSONata's built-ins out of the library (evaluating `$name` yields the function itself). */
export function loadBuiltins(): Promise<Map<string, NativeFunction>> {
  loading ??= (async () => {
    const table = new Map<string, NativeFunction>();
    const wanted = [...NATIVE, ...Object.keys(TWINS)];
    const all = (await jsonata(`{${wanted.map((name) => `"${name}": $${name}`).join(', ')}}`).evaluate(null)) as Record<string, NativeFunction | undefined>;
    for (const name of wanted) {
      const found = all[name];
      if (!found || found._jsonata_function !== true || typeof found.implementation !== 'function') continue;
      const twin = TWINS[name];
      if (twin) table.set(name, { _jsonata_function: true, implementation: twin, signature: found.signature });
      // A future JSONata may make one of these asynchronous: it then stays with the interpreter.
      else if (found.implementation.constructor === Function) table.set(name, found);
    }
    for (const [name, implementation] of Object.entries(MAPPING_FUNCTIONS)) {
      table.set(name, { _jsonata_function: true, implementation: implementation as NativeFunction['implementation'] });
    }
    loaded = table;
    return table;
  })();
  return loading;
}

/** A sequence the built-ins create: counted against the compiled run's work limit. */
export function countedSequence(...items: unknown[]): Sequence {
  const sequence = createSequence(...items);
  sequence.push = (...pushed: unknown[]) => {
    countWork(pushed.length);
    if (sequence.length + pushed.length > SEQUENCE_LIMIT) throw { code: 'D2015', value: SEQUENCE_LIMIT };
    return Array.prototype.push.apply(sequence, pushed);
  };
  return sequence;
}

/** JSONata's `getFunctionArity`, for the optional index and array arguments of `$map` and `$filter`. */
export function arityOf(fn: unknown): number {
  const record = fn as { arity?: unknown; implementation?: unknown; length?: unknown };
  if (typeof record.arity === 'number') return record.arity;
  if (typeof record.implementation === 'function') return record.implementation.length;
  return typeof record.length === 'number' ? record.length : 0;
}

function hofArguments(fn: unknown, value: unknown, index: number, array: unknown[]): unknown[] {
  const arity = arityOf(fn);
  if (arity >= 3) return [value, index, array];
  return arity >= 2 ? [value, index] : [value];
}

function map(this: Focus, array: unknown[] | undefined, fn: unknown): unknown {
  if (array === undefined) return undefined;
  countWork(array.length);
  const result = this.createSequence();
  for (let index = 0; index < array.length; index++) {
    const value = this.call(fn, hofArguments(fn, array[index], index, array));
    if (value !== undefined) result.push(value);
  }
  return result;
}

function filter(this: Focus, array: unknown[] | undefined, fn: unknown): unknown {
  if (array === undefined) return undefined;
  countWork(array.length);
  const result = this.createSequence();
  for (let index = 0; index < array.length; index++) {
    if (toBoolean(this.call(fn, hofArguments(fn, array[index], index, array)))) result.push(array[index]);
  }
  return result;
}

/** What a regular expression evaluates to in a compiled mapping (JSONata's `evaluateRegex` closure). */
export interface RegexMatch {
  match: string;
  start: number;
  end: number;
  groups: string[];
  next: () => RegexMatch | undefined;
}

const matchers = new WeakSet<object>();

export function regexMatcher(pattern: RegExp): (text: string, fromIndex?: number) => RegexMatch | undefined {
  const regex = new RegExp(pattern);
  const closure = (text: string, fromIndex?: number): RegexMatch | undefined => {
    regex.lastIndex = fromIndex || 0;
    const found = regex.exec(text);
    if (found === null) return undefined;
    countWork(1);
    return {
      match: found[0],
      start: found.index,
      end: found.index + found[0].length,
      groups: found.slice(1),
      next: () => {
        if (regex.lastIndex >= text.length) return undefined;
        const next = closure(text, regex.lastIndex);
        if (next && next.match === '') throw { code: 'D1004', value: pattern.source };
        return next;
      },
    };
  };
  matchers.add(closure);
  return closure;
}

/** Only the compiled regular expressions are run here; a lambda used as a matcher stays with the interpreter. */
function runMatcher(matcher: unknown, text: string): RegexMatch | undefined {
  if (typeof matcher !== 'function' || !matchers.has(matcher)) throw new FallBack('matcher is not a regular expression');
  return (matcher as (text: string) => RegexMatch | undefined)(text);
}

function contains(this: Focus, text: string | undefined, token: unknown): unknown {
  if (text === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return text.indexOf(token) !== -1;
  return runMatcher(token, text) !== undefined;
}

function match(this: Focus, text: string | undefined, regex: unknown, limit?: number): unknown {
  if (text === undefined) return undefined;
  if ((limit as number) < 0) throw { code: 'D3040', value: limit, index: 3 };
  const result = this.createSequence();
  if (limit === undefined || limit > 0) {
    let count = 0;
    let found = runMatcher(regex, text);
    while (found !== undefined && (limit === undefined || count < limit)) {
      result.push({ match: found.match, index: found.start, groups: found.groups });
      found = found.next();
      count++;
    }
  }
  return result;
}

function replace(this: Focus, text: string | undefined, pattern: unknown, replacement: unknown, limit?: number): unknown {
  if (text === undefined) return undefined;
  if (pattern === '') throw { code: 'D3010', value: pattern, index: 2 };
  if ((limit as number) < 0) throw { code: 'D3011', value: limit, index: 4 };
  if (typeof replacement !== 'string') throw new FallBack('replacement is a function');
  if (limit !== undefined && limit <= 0) return text;
  let result = '';
  let position = 0;
  let count = 0;
  if (typeof pattern === 'string') {
    let index = text.indexOf(pattern, position);
    while (index !== -1 && (limit === undefined || count < limit)) {
      result += text.substring(position, index) + replacement;
      position = index + pattern.length;
      count++;
      index = text.indexOf(pattern, position);
    }
    return result + text.substring(position);
  }
  let found = runMatcher(pattern, text);
  if (found === undefined) return text;
  while (found !== undefined && (limit === undefined || count < limit)) {
    result += text.substring(position, found.start) + substitute(replacement, found);
    position = found.start + found.match.length;
    count++;
    found = found.next();
  }
  return result + text.substring(position);
}

/** A replacement text with `$0`, `$1`…, `$$` filled in from the match (JSONata's rules for digits). */
function substitute(replacement: string, found: RegexMatch): string {
  let result = '';
  let position = 0;
  let index = replacement.indexOf('$', position);
  while (index !== -1 && position < replacement.length) {
    result += replacement.substring(position, index);
    position = index + 1;
    const next = replacement.charAt(position);
    if (next === '$') {
      result += '$';
      position++;
    } else if (next === '0') {
      result += found.match;
      position++;
    } else {
      const maxDigits = found.groups.length === 0 ? 1 : Math.floor(Math.log(found.groups.length) * Math.LOG10E) + 1;
      let group = parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && group > found.groups.length) group = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      if (!Number.isNaN(group)) {
        if (found.groups.length > 0 && found.groups[group - 1] !== undefined) result += found.groups[group - 1];
        position += group.toString().length;
      } else {
        result += '$';
      }
    }
    index = replacement.indexOf('$', position);
  }
  return result + replacement.substring(position);
}

function split(this: Focus, text: string | undefined, separator: unknown, limit?: number): unknown {
  if (text === undefined) return undefined;
  if ((limit as number) < 0) throw { code: 'D3020', value: limit, index: 3 };
  if (limit !== undefined && limit <= 0) return [];
  if (typeof separator === 'string') {
    const parts = text.split(separator, limit);
    countWork(parts.length);
    return parts;
  }
  const result: string[] = [];
  let count = 0;
  let found = runMatcher(separator, text);
  if (found === undefined) return [text];
  let start = 0;
  while (found !== undefined && (limit === undefined || count < limit)) {
    result.push(text.substring(start, found.start));
    start = found.end;
    found = found.next();
    count++;
  }
  if (limit === undefined || count < limit) result.push(text.substring(start));
  return result;
}
