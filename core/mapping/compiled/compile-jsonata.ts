import { builtins, COMPILED_FUNCTION_NAMES, countedSequence, regexMatcher } from './jsonata-builtins';
import type { Focus, NativeFunction } from './jsonata-builtins';
import {
  append,
  boolize,
  countWork,
  createSequence,
  FallBack,
  flatten,
  isArrayOfNumbers,
  isDeepEqual,
  isFunction,
  isNumeric,
  isSequence,
  lookup,
  normalise,
  SEQUENCE_LIMIT,
  toBoolean,
  startWork,
  toText,
} from './jsonata-values';
import type { Sequence } from './jsonata-values';

/**
 * Compiles a JSONata expression (the AST of `jsonata(text).ast()`; the text stays the one source of truth) to
 * a plain synchronous function for a subset of the language: paths with filters and sorting, wildcards and
 * descendants, object and array constructors, conditions, blocks and bindings, lambdas, the operators and the
 * functions in jsonata-builtins.ts. Each construct is evaluated as the interpreter's `evaluate` does — same
 * sequences, same flattening and singleton rules, same argument checks — without its per-node awaits, scope
 * hooks and clock reads.
 *
 * Whatever is outside the subset does not compile, and the mapping runs on the interpreter. A compiled run that
 * throws (a `$error`, a type error, a case the compiled form does not cover, its work or depth limit) is handed to
 * the interpreter too, which produces the result — or the error — with its own words.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */

export type CompiledExpression = (input: unknown, bindings: Readonly<Record<string, unknown>>) => unknown;
export type CompileToFunctionResult = { ok: true; run: CompiledExpression } | { ok: false; reason: string };

interface Node {
  type: string;
  value?: unknown;
  [key: string]: unknown;
}

type Evaluator = (input: unknown, env: Frame) => unknown;

/** JSONata's variable frames: a block or a lambda call opens one; lookups walk outwards. */
class Frame {
  readonly vars = new Map<string, unknown>();
  readonly parent: Frame | undefined;
  constructor(parent: Frame | undefined) {
    this.parent = parent;
  }
  bind(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  lookup(name: string): unknown {
    for (let frame: Frame | undefined = this; frame; frame = frame.parent) {
      if (frame.vars.has(name)) return frame.vars.get(name);
    }
    return undefined;
  }
}

interface Lambda {
  _jsonata_lambda: true;
  arity: number;
  params: string[];
  body: Evaluator;
  bodyDepth: number;
  input: unknown;
  env: Frame;
}

/** A call in tail position, run by the caller's trampoline (JSONata's tail-call thunk). */
interface Thunk {
  _jsonata_lambda: true;
  thunk: true;
  depth: number;
  run: (context: unknown) => unknown;
}

/**
 * Evaluation depth the interpreter would reach is bounded from above by the nesting of the expression plus the
 * call sites a lambda was reached through; a compiled run that could come near JSONata's stack guardrail (200)
 * is handed to the interpreter, which then decides.
 */
const DEPTH_LIMIT = 150;
const depth = { base: 0, callSite: 0 };

/** Names every mapping can read besides its own variables (EvaluationBindings and the per-alert extras). */
const BOUND_NAMES = new Set(['', '$', 'provider', 'instance', 'timezone', 'receivedAt', 'payload', 'candidate', 'index']);
const NODE_TYPES = new Set(['path', 'binary', 'unary', 'name', 'string', 'number', 'value', 'wildcard', 'descendant', 'condition', 'block', 'bind', 'regex', 'function', 'variable', 'lambda', 'sort']);
const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', '&', 'and', 'or', 'in']);
const UNSUPPORTED_FLAGS = ['group', 'tuple', 'focus', 'index', 'ancestor', 'seekingParent'];
/** Built-ins that treat a function argument the same whatever shape the function has; others fall back. */
const FUNCTION_TOLERANT = new Set(['exists', 'type', 'boolean', 'not', 'string', 'count', 'map', 'filter', 'contains', 'match', 'replace', 'split']);

class Unsupported extends Error {}

export function compileToFunction(ast: unknown): CompileToFunctionResult {
  try {
    checkSupported(ast as Node, declaredNames(ast as Node));
    if (treeDepth(ast as Node) > DEPTH_LIMIT) throw new Unsupported('the expression is nested too deeply to compile');
    const root = compileNode(ast as Node, 0, false);
    return { ok: true, run: (input, bindings) => runCompiled(root, input, bindings) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

function runCompiled(root: Evaluator, input: unknown, bindings: Readonly<Record<string, unknown>>): unknown {
  const table = builtins();
  if (!table) throw new FallBack('built-ins not loaded yet');
  startWork();
  depth.base = 0;
  depth.callSite = 0;
  const env = new Frame(rootFrame(table));
  for (const [name, value] of Object.entries(bindings)) env.bind(name, value);
  env.bind('$', input);
  let subject = input;
  if (Array.isArray(input) && !isSequence(input)) {
    subject = createSequence(input);
    (subject as Sequence).outerWrapper = true;
  }
  return root(subject, env);
}

let builtinFrame: Frame | undefined;
let builtinTable: Map<string, NativeFunction> | undefined;

function rootFrame(table: Map<string, NativeFunction>): Frame {
  if (builtinTable !== table || !builtinFrame) {
    builtinFrame = new Frame(undefined);
    for (const [name, fn] of table) builtinFrame.bind(name, fn);
    builtinTable = table;
  }
  return builtinFrame;
}

// ---------------------------------------------------------------- what compiles

function childNodes(node: Node): Node[] {
  const children: Node[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object' && typeof (value as Node).type === 'string') children.push(value as Node);
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'value' && node.type === 'regex') continue;
    if (key === 'terms' && Array.isArray(value)) value.forEach((term: { expression: Node }) => visit(term.expression));
    else if (key === 'predicate' || key === 'stages') (value as Array<{ expr: Node }>).forEach((stage) => visit(stage.expr));
    else visit(value);
  }
  return children;
}

function declaredNames(node: Node, names = new Set<string>()): Set<string> {
  if (node.type === 'bind') names.add(String((node.lhs as Node).value));
  if (node.type === 'lambda') for (const param of node.arguments as Node[]) names.add(String(param.value));
  for (const child of childNodes(node)) declaredNames(child, names);
  return names;
}

function checkSupported(node: Node, declared: Set<string>): void {
  if (!NODE_TYPES.has(node.type)) throw new Unsupported(`${node.type} expressions are not compiled`);
  for (const flag of UNSUPPORTED_FLAGS) if (node[flag] !== undefined) throw new Unsupported(`${flag} is not compiled`);
  for (const key of ['predicate', 'stages']) {
    const stages = node[key] as Array<{ type: string }> | undefined;
    if (stages?.some((stage) => stage.type !== 'filter')) throw new Unsupported('index bindings (#) are not compiled');
  }
  if (node.type === 'binary' && !BINARY_OPERATORS.has(String(node.value))) throw new Unsupported(`operator ${String(node.value)} is not compiled`);
  if (node.type === 'unary' && !['-', '[', '{'].includes(String(node.value))) throw new Unsupported(`operator ${String(node.value)} is not compiled`);
  if (node.type === 'lambda' && node.signature !== undefined) throw new Unsupported('lambda signatures are not compiled');
  if (node.type === 'variable') {
    const name = String(node.value);
    if (!BOUND_NAMES.has(name) && !declared.has(name) && !COMPILED_FUNCTION_NAMES.has(name)) throw new Unsupported(`$${name} is not compiled`);
  }
  for (const child of childNodes(node)) checkSupported(child, declared);
}

/** Evaluation depth of a subtree, counted as the interpreter nests `evaluate` calls (one per edge). */
function treeDepth(node: Node): number {
  let deepest = 0;
  for (const child of childNodes(node)) deepest = Math.max(deepest, treeDepth(child));
  return deepest + 2;
}

/** A bind that is not inside a block of its own binds into the enclosing frame. */
function bindsIntoFrame(node: Node): boolean {
  if (node.type === 'bind') return true;
  if (node.type === 'block' || node.type === 'lambda') return false;
  return childNodes(node).some(bindsIntoFrame);
}

// ---------------------------------------------------------------- compilation

/**
 * `parallel`: inside an object or array constructor, whose parts JSONata evaluates concurrently; a binding there
 * would depend on their interleaving, so it does not compile.
 */
function compileNode(node: Node, level: number, parallel: boolean): Evaluator {
  const inner = compileInner(node, level, parallel);
  const predicates = ((node.predicate as Array<{ expr: Node }> | undefined) ?? []).map((stage) => compileFilter(stage.expr, level + 1));
  const keepArray = node.keepArray === true;
  if (predicates.length === 0 && ['string', 'number', 'value', 'regex', 'lambda'].includes(node.type)) return inner;
  if (predicates.length === 0) return (input, env) => normalise(inner(input, env), keepArray);
  return (input, env) => {
    let result = inner(input, env);
    for (const predicate of predicates) result = predicate(result, env);
    return normalise(result, keepArray);
  };
}

function compileInner(node: Node, level: number, parallel: boolean): Evaluator {
  const next = level + 1;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value;
      return () => value;
    }
    case 'regex': {
      const pattern = node.value as RegExp;
      return () => regexMatcher(pattern);
    }
    case 'name': {
      const name = String(node.value);
      return (input) => lookup(input, name);
    }
    case 'variable':
      return compileVariable(String(node.value));
    case 'path':
      return compilePath(node, next, parallel);
    case 'wildcard':
      return (input) => wildcard(input);
    case 'descendant':
      return (input) => descendants(input);
    case 'binary':
      return compileBinary(node, next, parallel);
    case 'unary':
      return compileUnary(node, next, parallel);
    case 'condition':
      return compileCondition(node, next, parallel);
    case 'block':
      return compileBlock(node, next);
    case 'bind': {
      if (parallel) throw new Unsupported('a binding inside an object or array constructor is not compiled');
      const name = String((node.lhs as Node).value);
      const value = compileNode(node.rhs as Node, next, parallel);
      return (input, env) => {
        const result = value(input, env);
        env.bind(name, result);
        return result;
      };
    }
    case 'function':
      return compileCall(node, level, parallel);
    case 'lambda':
      return node.thunk === true ? compileThunk(node.body as Node, level, parallel) : compileLambda(node);
    case 'sort':
      throw new Unsupported('sorting outside a path is not compiled');
  }
  throw new Unsupported(`${node.type} expressions are not compiled`);
}

function compileVariable(name: string): Evaluator {
  if (name === '') return (input) => (input && (input as Sequence).outerWrapper ? (input as unknown[])[0] : input);
  return (_input, env) => env.lookup(name);
}

function compilePath(node: Node, level: number, parallel: boolean): Evaluator {
  const stepNodes = node.steps as Node[];
  const firstIsVariable = stepNodes[0].type === 'variable';
  const consFirst = stepNodes[0].consarray === true;
  const steps = stepNodes.map((step, index) => (index === 0 && consFirst ? compileNode(step, level, parallel) : compileStep(step, level, parallel, index === stepNodes.length - 1)));
  const keepSingletonArray = node.keepSingletonArray === true;
  return (input, env) => {
    let inputSequence: unknown[] = Array.isArray(input) && !firstIsVariable ? input : createSequence(input);
    let result: unknown;
    for (let index = 0; index < steps.length; index++) {
      result = index === 0 && consFirst ? steps[0](inputSequence, env) : (steps[index] as StepEvaluator)(inputSequence, env);
      if (result === undefined || (result as unknown[]).length === 0) break;
      inputSequence = result as unknown[];
    }
    if (keepSingletonArray) {
      if (Array.isArray(result) && (result as Sequence).cons && !(result as Sequence).sequence) result = createSequence(result);
      (result as Sequence).keepSingleton = true;
    }
    return result;
  };
}

type StepEvaluator = (input: unknown[], env: Frame) => unknown[];

function compileStep(node: Node, level: number, parallel: boolean, lastStep: boolean): StepEvaluator {
  const stages = ((node.stages as Array<{ expr: Node }> | undefined) ?? []).map((stage) => compileFilter(stage.expr, level + 1));
  if (node.type === 'sort') {
    const sort = compileSort(node, level + 1);
    return (input, env) => {
      let result = sort(input, env);
      for (const stage of stages) result = stage(result, env) as unknown[];
      return result;
    };
  }
  const evaluate = compileNode(node, level + 1, parallel);
  return (input, env) => {
    countWork(input.length);
    const results: unknown[] = [];
    for (const item of input) {
      let value = evaluate(item, env);
      for (const stage of stages) value = stage(value, env);
      if (value !== undefined) results.push(value);
    }
    if (lastStep && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) return results[0] as unknown[];
    const sequence = createSequence();
    for (const value of results) {
      if (!Array.isArray(value) || (value as Sequence).cons) sequence.push(value);
      else for (const item of value) sequence.push(item);
    }
    if (sequence.length > SEQUENCE_LIMIT) throw { code: 'D2015', value: SEQUENCE_LIMIT };
    return sequence;
  };
}

function compileFilter(predicateNode: Node, level: number): (input: unknown, env: Frame) => unknown {
  if (predicateNode.type === 'number') {
    const position = Math.floor(predicateNode.value as number);
    return (input) => {
      const items = Array.isArray(input) ? input : createSequence(input);
      const index = position < 0 ? items.length + position : position;
      const item = items[index];
      if (item === undefined) return createSequence();
      return Array.isArray(item) ? item : createSequence(item);
    };
  }
  const predicate = compileNode(predicateNode, level, false);
  return (input, env) => {
    const items = Array.isArray(input) ? input : createSequence(input);
    countWork(items.length);
    const results = createSequence();
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      let value = predicate(item, env);
      if (isNumeric(value)) value = [value];
      if (isArrayOfNumbers(value)) {
        for (const wanted of value as number[]) {
          let position = Math.floor(wanted);
          if (position < 0) position = items.length + position;
          if (position === index) results.push(item);
        }
      } else if (toBoolean(value)) {
        results.push(item);
      }
    }
    return results;
  };
}

function compileSort(node: Node, level: number): (input: unknown[], env: Frame) => unknown[] {
  const terms = (node.terms as Array<{ descending: boolean; expression: Node }>).map((term) => ({
    descending: term.descending === true,
    evaluate: compileNode(term.expression, level + 1, false),
  }));
  return (input, env) => {
    const swaps = (a: unknown, b: unknown): boolean => {
      let comparison = 0;
      for (let index = 0; comparison === 0 && index < terms.length; index++) {
        const term = terms[index];
        const left = term.evaluate(a, env);
        const right = term.evaluate(b, env);
        if (left === undefined) {
          comparison = right === undefined ? 0 : 1;
          continue;
        }
        if (right === undefined) {
          comparison = -1;
          continue;
        }
        const comparable = (value: unknown) => typeof value === 'string' || typeof value === 'number';
        if (!comparable(left) || !comparable(right)) throw { code: 'T2008', value: !comparable(left) ? left : right };
        if (typeof left !== typeof right) throw { code: 'T2007', value: left, value2: right };
        if (left === right) continue;
        comparison = (left as string) < (right as string) ? -1 : 1;
        if (term.descending) comparison = -comparison;
      }
      return comparison === 1;
    };
    return mergeSort(input, swaps);
  };
}

/** JSONata's stable merge sort (same split point, same tie rule), without its recursion per element. */
function mergeSort(array: unknown[], swaps: (a: unknown, b: unknown) => boolean): unknown[] {
  if (array.length <= 1) return array;
  const middle = Math.floor(array.length / 2);
  const left = mergeSort(array.slice(0, middle), swaps);
  const right = mergeSort(array.slice(middle), swaps);
  countWork(array.length);
  const merged: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    if (swaps(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}

function wildcard(input: unknown): unknown {
  let results: unknown = createSequence();
  let subject = input;
  if (Array.isArray(subject) && (subject as Sequence).outerWrapper && subject.length > 0) subject = subject[0];
  if (subject !== null && typeof subject === 'object' && !isFunction(subject)) {
    const keys = Object.keys(subject);
    countWork(keys.length);
    for (const key of keys) {
      const value = (subject as Record<string, unknown>)[key];
      if (Array.isArray(value)) results = append(results, flatten(value));
      else (results as unknown[]).push(value);
    }
  }
  return results;
}

function descendants(input: unknown): unknown {
  if (input === undefined) return undefined;
  const results = createSequence();
  collectDescendants(input, results);
  return results.length === 1 ? results[0] : results;
}

function collectDescendants(input: unknown, results: unknown[]): void {
  countWork(1);
  if (Array.isArray(input)) {
    for (const member of input) collectDescendants(member, results);
    return;
  }
  results.push(input);
  if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) collectDescendants((input as Record<string, unknown>)[key], results);
  }
}

function compileBinary(node: Node, level: number, parallel: boolean): Evaluator {
  const op = String(node.value);
  const lhs = compileNode(node.lhs as Node, level, parallel);
  const rhs = compileNode(node.rhs as Node, level, parallel);
  switch (op) {
    case 'and':
      return (input, env) => boolize(lhs(input, env)) && boolize(rhs(input, env));
    case 'or':
      return (input, env) => boolize(lhs(input, env)) || boolize(rhs(input, env));
    case '=':
    case '!=':
      return (input, env) => {
        const left = lhs(input, env);
        const right = rhs(input, env);
        if (left === undefined || right === undefined) return false;
        return op === '=' ? isDeepEqual(left, right) : !isDeepEqual(left, right);
      };
    case '&':
      return (input, env) => {
        const left = lhs(input, env);
        const right = rhs(input, env);
        return (left === undefined ? '' : (toText(left) as string)) + (right === undefined ? '' : (toText(right) as string));
      };
    case 'in':
      return (input, env) => {
        const left = lhs(input, env);
        const right = rhs(input, env);
        if (left === undefined || right === undefined) return false;
        const list = Array.isArray(right) ? right : [right];
        for (const item of list) if (item === left) return true;
        return false;
      };
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (input, env) => compare(lhs(input, env), rhs(input, env), op);
    default:
      return (input, env) => arithmetic(lhs(input, env), rhs(input, env), op);
  }
}

function arithmetic(left: unknown, right: unknown, op: string): unknown {
  if (left !== undefined && !isNumeric(left)) throw { code: 'T2001', value: left };
  if (right !== undefined && !isNumeric(right)) throw { code: 'T2002', value: right };
  if (left === undefined || right === undefined) return undefined;
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    default:
      return left % right;
  }
}

function compare(left: unknown, right: unknown, op: string): unknown {
  const comparable = (value: unknown) => value === undefined || typeof value === 'string' || typeof value === 'number';
  if (!comparable(left) || !comparable(right)) throw { code: 'T2010', value: left };
  if (left === undefined || right === undefined) return undefined;
  if (typeof left !== typeof right) throw { code: 'T2009', value: left, value2: right };
  const a = left as string;
  const b = right as string;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function compileUnary(node: Node, level: number, parallel: boolean): Evaluator {
  if (node.value === '-') {
    const operand = compileNode(node.expression as Node, level, parallel);
    return (input, env) => {
      const value = operand(input, env);
      if (value === undefined) return undefined;
      if (isNumeric(value)) return -value;
      throw { code: 'D1002', value };
    };
  }
  if (node.value === '[') return compileArray(node, level);
  return compileObject(node, level);
}

function compileArray(node: Node, level: number): Evaluator {
  const items = (node.expressions as Node[]).map((item) => ({ nested: item.value === '[', evaluate: compileNode(item, level, true) }));
  const cons = node.consarray === true;
  return (input, env) => {
    let result: unknown = [];
    for (const item of items) {
      const value = item.evaluate(input, env);
      if (value === undefined) continue;
      if (item.nested) (result as unknown[]).push(value);
      else result = append(result, value);
    }
    if (cons) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
    return result;
  };
}

function compileObject(node: Node, level: number): Evaluator {
  const pairs = (node.lhs as Node[][]).map(([key, value]) => ({ key: compileNode(key, level, true), value: compileNode(value, level, true) }));
  const literalKeys = (node.lhs as Node[][]).map(([key]) => (key.type === 'string' && !key.predicate ? String(key.value) : undefined));
  const simple = literalKeys.every((key) => key !== undefined && key !== '_jsonata_lambda' && key !== '_jsonata_function') && new Set(literalKeys).size === literalKeys.length;
  return (input, env) => {
    if (simple && !Array.isArray(input)) {
      // One item and distinct literal keys: each key is its own group, evaluated in order against the input.
      const result: Record<string, unknown> = Object.create(null);
      for (let index = 0; index < pairs.length; index++) {
        const value = pairs[index].value(input, env);
        if (value !== undefined) result[literalKeys[index] as string] = value;
      }
      return result;
    }
    return groupObject(pairs, input, env);
  };
}

function groupObject(pairs: Array<{ key: Evaluator; value: Evaluator }>, input: unknown, env: Frame): unknown {
  const items = Array.isArray(input) ? input : createSequence(input);
  if (items.length === 0) items.push(undefined);
  countWork(items.length * pairs.length);
  const groups: Record<string, { data: unknown; exprIndex: number }> = Object.create(null);
  for (const item of items) {
    for (let pairIndex = 0; pairIndex < pairs.length; pairIndex++) {
      const key = pairs[pairIndex].key(item, env);
      if (typeof key !== 'string' && key !== undefined) throw { code: 'T1003', value: key };
      if (key === undefined) continue;
      if (key === '_jsonata_lambda' || key === '_jsonata_function') throw { code: 'D1013', value: key };
      if (Object.prototype.hasOwnProperty.call(groups, key)) {
        if (groups[key].exprIndex !== pairIndex) throw { code: 'D1009', value: key };
        groups[key].data = append(groups[key].data, item);
      } else {
        groups[key] = { data: item, exprIndex: pairIndex };
      }
    }
  }
  const result: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(groups)) {
    const value = pairs[groups[key].exprIndex].value(groups[key].data, env);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function compileCondition(node: Node, level: number, parallel: boolean): Evaluator {
  const condition = compileNode(node.condition as Node, level, parallel);
  const otherwise = node.else === undefined ? undefined : compileNode(node.else as Node, level, parallel);
  if (node.then === node.condition) {
    // `a ?: b`: the parser makes `a` both the condition and the result; its value is computed once.
    return (input, env) => {
      const value = condition(input, env);
      if (toBoolean(value)) return value;
      return otherwise ? otherwise(input, env) : undefined;
    };
  }
  const then = compileNode(node.then as Node, level, parallel);
  return (input, env) => {
    if (toBoolean(condition(input, env))) return then(input, env);
    return otherwise ? otherwise(input, env) : undefined;
  };
}

function compileBlock(node: Node, level: number): Evaluator {
  const expressions = (node.expressions as Node[]).map((expression) => compileNode(expression, level, false));
  const needsFrame = (node.expressions as Node[]).some(bindsIntoFrame);
  if (expressions.length === 0) return () => undefined;
  return (input, env) => {
    const frame = needsFrame ? new Frame(env) : env;
    let result: unknown;
    for (const expression of expressions) result = expression(input, frame);
    return result;
  };
}

function compileLambda(node: Node): Evaluator {
  const params = (node.arguments as Node[]).map((param) => String(param.value));
  const bodyNode = node.body as Node;
  const body = compileNode(bodyNode, 0, false);
  const bodyDepth = treeDepth(bodyNode);
  return (input, env): Lambda => ({ _jsonata_lambda: true, arity: params.length, params, body, bodyDepth, input, env });
}

/** A call in tail position of a lambda: evaluated by the trampoline in {@link apply}, as JSONata does. */
function compileThunk(call: Node, level: number, parallel: boolean): Evaluator {
  const procedure = compileNode(call.procedure as Node, level + 1, parallel);
  const args = (call.arguments as Node[]).map((arg) => compileNode(arg, level + 1, parallel));
  return (input, env): Thunk => ({
    _jsonata_lambda: true,
    thunk: true,
    depth: level,
    run: (context) => applyInner(procedure(input, env), args.map((arg) => arg(input, env)), context),
  });
}

function compileCall(node: Node, level: number, parallel: boolean): Evaluator {
  const procedureNode = node.procedure as Node;
  if (procedureNode.type === 'variable' && String(procedureNode.value) === 'eval') throw new Unsupported('$eval is not compiled');
  const procedure = compileNode(procedureNode, level + 1, parallel);
  const args = (node.arguments as Node[]).map((arg) => {
    if (arg.type === 'operator') throw new Unsupported('partial application is not compiled');
    return compileNode(arg, level + 1, parallel);
  });
  const forgotDollar = procedureNode.type === 'path' ? String(((procedureNode.steps as Node[])[0] as Node).value) : undefined;
  return (input, env) => {
    const proc = procedure(input, env);
    if (proc === undefined && forgotDollar !== undefined && env.lookup(forgotDollar)) throw { code: 'T1005', token: forgotDollar };
    const values = args.map((arg) => arg(input, env));
    const saved = depth.callSite;
    depth.callSite = level;
    try {
      return apply(proc, values, input);
    } finally {
      depth.callSite = saved;
    }
  };
}

// ---------------------------------------------------------------- calling functions

function isThunk(value: unknown): value is Thunk {
  return value !== null && typeof value === 'object' && (value as Thunk).thunk === true && (value as Thunk)._jsonata_lambda === true;
}

function apply(proc: unknown, args: unknown[], context: unknown): unknown {
  let result = applyInner(proc, args, context);
  while (isThunk(result)) {
    countWork(1);
    const saved = depth.callSite;
    depth.callSite = saved + result.depth;
    try {
      result = result.run(context);
    } finally {
      depth.callSite = saved;
    }
  }
  return result;
}

const focus: Focus = {
  input: undefined,
  options: { sequence: SEQUENCE_LIMIT },
  createSequence: countedSequence,
  call: (fn, args) => apply(fn, args, null),
};

function applyInner(proc: unknown, args: unknown[], context: unknown): unknown {
  if (proc !== null && typeof proc === 'object' && (proc as Lambda)._jsonata_lambda === true && !isThunk(proc)) return invoke(proc as Lambda, args);
  if (proc !== null && typeof proc === 'object' && (proc as NativeFunction)._jsonata_function === true) {
    const native = proc as NativeFunction;
    if (!FUNCTION_TOLERANT.has(nameOf(native)) && args.some(holdsFunction)) throw new FallBack('a function passed to a built-in');
    const validated = native.signature ? native.signature.validate(args, context) : args;
    focus.input = context;
    return (native.implementation as (this: Focus, ...values: unknown[]) => unknown).apply(focus, validated);
  }
  if (typeof proc === 'function') throw new FallBack('calling a regular expression');
  throw { code: 'T1006' };
}

function holdsFunction(value: unknown): boolean {
  return isFunction(value) || (Array.isArray(value) && value.some((item) => isFunction(item)));
}

const names = new WeakMap<object, string>();

function nameOf(native: NativeFunction): string {
  let name = names.get(native);
  if (name === undefined) {
    name = '';
    for (const [candidate, fn] of builtins() ?? []) if (fn === native) name = candidate;
    names.set(native, name);
  }
  return name;
}

function invoke(lambda: Lambda, args: unknown[]): unknown {
  countWork(1);
  const savedBase = depth.base;
  // Twice the static nesting: an upper bound of the interpreter's depth at this call.
  const base = savedBase + 2 * depth.callSite + 3;
  if (base + lambda.bodyDepth > DEPTH_LIMIT) throw new FallBack('compiled evaluation could reach the interpreter stack limit');
  const frame = new Frame(lambda.env);
  for (let index = 0; index < lambda.params.length; index++) frame.bind(lambda.params[index], args[index]);
  const savedCallSite = depth.callSite;
  depth.base = base;
  depth.callSite = 0;
  try {
    return lambda.body(lambda.input, frame);
  } finally {
    depth.base = savedBase;
    depth.callSite = savedCallSite;
  }
}

