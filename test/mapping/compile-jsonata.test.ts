import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileToFunction } from '../../core/mapping/compiled/compile-jsonata';
import { loadBuiltins } from '../../core/mapping/compiled/jsonata-builtins';
import { compileMapping } from '../../core/mapping/compile-mapping';
import { FallBack } from '../../core/mapping/compiled/jsonata-values';
import { evaluateMapping } from '../../core/mapping/evaluate-mapping';
import { registerMappingFunctions } from '../../core/mapping/mapping-functions';

/**
 * The compiled subset construct by construct, beyond what the presets use (user mappings compile too): each
 * expression gives the interpreter's result on every input, or throws where the interpreter throws.
 */

const INPUTS: unknown[] = [
  { a: { b: [{ c: 1, d: 'x' }, { c: 2, d: 'y' }, { c: 3 }], e: 'text', f: null, g: [], h: {} }, n: 5, s: ' Hello  World ', list: [3, 1, 2], words: ['b', 'a', 'c'], nested: [[1, 2], [3]], t: true },
  { a: { b: { c: 'one', d: 'z' } }, n: '5', s: 42, list: 'single', words: [], nested: [], t: false },
  [{ a: { b: [{ c: 9 }] } }, { a: { b: [{ c: 8 }] } }],
  { a: [{ b: [{ c: [1, [2, 3]] }] }, { b: { c: 4 } }], n: -0.5, s: 'ÿ€😀', list: [1, '1', null], words: ['x', 1] },
  null,
  'text',
  12,
  [],
  {},
];

const EXPRESSIONS = [
  'a.b.c',
  'a.b[0].c',
  'a.b[-1]',
  'a.b[c > 1].d',
  'a.b[d].c',
  'a.b[[0, 2]]',
  'a.*',
  'a.**.c',
  '*.b',
  'a.b.c[]',
  '$.a',
  '$$.n',
  'list^($)',
  'list^(>$)',
  'a.b^(>c).d',
  'words^($)[0]',
  '[a.b.c]',
  '[a.b.c, n, [s]]',
  '[nested]',
  'nested[0]',
  '{"x": n, "y": s, "z": a.b.d}',
  'a.b.{"c": c, "d": d}',
  'a.b{d: c}',
  '{ $string(n): s }',
  'n + 1',
  'n * 2 - 3 / 4 % 5',
  '-n',
  'n > 3',
  's < "z"',
  'n = 5 and t',
  'n = "5" or $not(t)',
  'n != 5',
  's & n & t & f & a.g',
  '"x" in words',
  'list = [3, 1, 2]',
  'a = a',
  't ? "yes" : "no"',
  'missing ? 1',
  'a.e ?: "fallback"',
  'a.missing ?: a.f ?: "last"',
  '($x := n; $y := $x * 2; $y)',
  '($f := function($v) { $v * 2 }; $f(n))',
  '($f := function($v, $i) { $v & $i }; $map(words, $f))',
  '($loop := function($i, $acc) { $i <= 0 ? $acc : $loop($i - 1, $acc + $i) }; $loop(50, 0))',
  '($fact := function($i) { $i <= 1 ? 1 : $i * $fact($i - 1) }; $fact(10))',
  '($deep := function($i) { $i = 0 ? 0 : 1 + $deep($i - 1) }; $deep(5))',
  '$map(list, function($v) { $v + 1 })',
  '$filter(list, function($v, $i) { $i > 0 })',
  '$map(a.b, function($x) { $x.c })',
  '$exists(a.f)',
  '$exists(a.missing)',
  '$string(a)',
  '$string(n)',
  '$string()',
  '$number(n)',
  '$number(s)',
  '$length(s)',
  '$substring(s, 1, 3)',
  '$substringBefore(s, "o")',
  '$substringAfter(s, "o")',
  '$uppercase(s)',
  '$lowercase()',
  '$trim(s)',
  '$pad(s, 20, "#")',
  '$contains(s, "World")',
  '$contains(s, /w.r/i)',
  '$match(s, /(l+)/)',
  '$match(s, /o/).index',
  '$replace(s, /(l+)/, "[$1]")',
  '$replace(s, "l", "L", 2)',
  '$split(s, " ")',
  '$split(s, /\\s+/, 2)',
  '$join(words, "-")',
  '$join(a.b.d)',
  '$count(a.b)',
  '$sum(list)',
  '$max(list)',
  '$average(list)',
  '$round(n / 3, 2)',
  '$abs(n)',
  '$floor(n)',
  '$keys(a)',
  '$lookup(a, "e")',
  '$merge([a.h, {"k": 1}, a.b])',
  '$spread(a.h)',
  '$append(list, words)',
  '$reverse(list)',
  '$distinct(list)',
  '$type(a)',
  '$type(a.f)',
  '$boolean(a.g)',
  '$not(a.h)',
  '$error("stop")',
  '$assert(n = 5, "n is not 5")',
  '$base64encode(s)',
  '$encodeUrlComponent("a b&c")',
  '$toUtcIso(1718000000, "epoch-s")',
  '$hostOf("https://acme.example.com:8443/x")',
  '$field({"a.b": 1}, "a.b")',
  '$parseJson("[1,2]")',
  '$provider & "/" & $timezone',
  '$string(function($x) { $x })',
  'function($x) { $x }',
  '($x := [1, 2, 3]; $x[$ > 1])',
  '()',
  '[]',
  '{}',
];

const UNSUPPORTED = ['[1..3]', 'a ~> $string()', 'a.b@$o.c', 'a.b#$i.c', 'a.%.e', '$now()', '$sort(list)', '$sift(a, function($v) { $v })', 'a.b{d: c}', '$substring(?, 1)', 'function($x)<n:n>{ $x }', '| a | {"x": 1} |', '($o := {"a": $x := 1}; $x)'];

async function interpreted(text: string, input: unknown): Promise<unknown> {
  const expression = jsonata(text);
  registerMappingFunctions(expression);
  try {
    return { value: plain(await expression.evaluate(input, { provider: 'generic', timezone: 'UTC' })) };
  } catch {
    return 'threw';
  }
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'function') return '[function]';
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record._jsonata_lambda || record._jsonata_function) return '[function]';
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

describe('compiling JSONata to functions', () => {
  beforeAll(async () => {
    await loadBuiltins();
  });

  it.each(EXPRESSIONS.filter((text) => !UNSUPPORTED.includes(text)))('%s', async (text) => {
    const compiled = compileToFunction(jsonata(text).ast());
    expect(compiled).toMatchObject({ ok: true });
    if (!compiled.ok) return;
    for (const input of INPUTS) {
      let outcome: unknown;
      try {
        outcome = { value: plain(compiled.run(structuredClone(input), { provider: 'generic', timezone: 'UTC' })) };
      } catch {
        outcome = 'threw';
      }
      expect(outcome, JSON.stringify(input)).toStrictEqual(await interpreted(text, structuredClone(input)));
    }
  });

  it.each(UNSUPPORTED)('%s stays with the interpreter', (text) => {
    expect(compileToFunction(jsonata(text).ast())).toMatchObject({ ok: false, reason: expect.any(String) });
  });

  it('hands a run past its depth or work limit to the interpreter, which gives the result', async () => {
    for (const text of ['($deep := function($i) { $i = 0 ? 0 : 1 + $deep($i - 1) }; $deep(60))', '($loop := function($i) { $i = 0 ? "done" : $loop($i - 1) }; $loop(61000))']) {
      const result = compileMapping(text, 20_000);
      if (!result.ok) throw new Error(result.error.message);
      const bindings = {};
      expect(result.mapping.run).toBeTypeOf('function');
      expect(() => result.mapping.run?.(null, bindings)).toThrow(FallBack);
      expect(await evaluateMapping(result.mapping, null, bindings)).toBe(await interpretedValue(text, bindings));
    }
  });

  it('leaves errors to the interpreter, in its words', async () => {
    const result = compileMapping('$exists(event) ? event : $error("no event here")');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.mapping.run).toBeTypeOf('function');
    await expect(evaluateMapping(result.mapping, {}, {})).rejects.toMatchObject({ code: 'D3137', message: 'no event here' });
    expect(await evaluateMapping(result.mapping, { event: 1 }, {})).toBe(1);
  });
});

async function interpretedValue(text: string, bindings: Record<string, unknown>): Promise<unknown> {
  const expression = jsonata(text);
  registerMappingFunctions(expression);
  return expression.evaluate(null, bindings);
}

