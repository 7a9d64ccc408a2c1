import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../../core/mapping/compile-mapping';
import type { CompiledMapping } from '../../core/mapping/compile-mapping';
import { loadBuiltins } from '../../core/mapping/compiled/jsonata-builtins';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import type { ClosableNormaliser } from '../../core/mapping/create-normaliser';
import type { MappingConfigInput } from '../../core/mapping/mapping-config';
import { PRESETS } from '../../core/mapping/presets';
import type { Provider } from '../../core/mapping/providers';
import { fixture, RECEIVED_AT } from './support';

/**
 * Differential test: every preset runs as a compiled function (core/mapping/compiled) and on JSONata's
 * interpreter, over every provider fixture and over generated variants of them (fields missing, null, of the
 * wrong type, arrays where one value is expected, numbers as strings, huge and tiny numbers, unicode, the names
 * the preset reads added where they were not). Both must give the same raw mapping output, and the same
 * candidates and quarantine reasons through the whole normaliser.
 */

const FIXTURES = readdirSync(join(__dirname, '..', 'fixtures', 'providers'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length));
const providerOf = (name: string) => name.slice(0, name.indexOf('.')) as Provider;
const PROVIDERS = [...new Set(FIXTURES.map(providerOf))];
const BINDINGS = { provider: 'x', timezone: 'Europe/Berlin', receivedAt: RECEIVED_AT.toISOString() };
const RUNS_PER_PRESET = 150;
/** The interpreter's wall-clock limit, far out of reach: on a loaded machine 250 ms can trip and that is no difference. */
const TIMEOUT_MS = 60_000;

type Outcome = { threw: true } | { threw: false; value: unknown };

/** Sequences become arrays and null-prototype objects plain ones; functions are marked; undefined items stay. */
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

async function interpreted(mapping: CompiledMapping, payload: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    return { threw: false, value: plain(await mapping.expression.evaluate(structuredClone(payload), { ...bindings })) };
  } catch {
    return { threw: true };
  }
}

function compiled(run: NonNullable<CompiledMapping['run']>, payload: unknown, bindings: Record<string, unknown>): Outcome {
  try {
    return { threw: false, value: plain(run(structuredClone(payload), { ...bindings })) };
  } catch {
    return { threw: true };
  }
}

function compiledPreset(text: string): { mapping: CompiledMapping; run: NonNullable<CompiledMapping['run']> } {
  const result = compileMapping(text, TIMEOUT_MS);
  if (!result.ok || !result.mapping.run) throw new Error(`preset does not compile to a function: ${text.slice(0, 60)}`);
  return { mapping: result.mapping, run: result.mapping.run };
}

/** The raw outputs agree, and where the interpreter gives a result the compiled run gave it without falling back. */
async function expectSameRaw(provider: Provider, payload: unknown, run = compiledPreset(PRESETS[provider].expression).run): Promise<void> {
  const { mapping } = compiledPreset(PRESETS[provider].expression);
  for (const bindings of [BINDINGS, { ...BINDINGS, instance: 'site-1' }]) {
    expect(compiled(run, payload, bindings)).toStrictEqual(await interpreted(mapping, payload, bindings));
  }
  const alerts = PRESETS[provider].alertsExpression;
  if (alerts) {
    const compiledAlerts = compiledPreset(alerts);
    expect(compiled(compiledAlerts.run, payload, BINDINGS)).toStrictEqual(await interpreted(compiledAlerts.mapping, payload, BINDINGS));
  }
}

const normalisers: ClosableNormaliser[] = [];
function normaliserPair(config: MappingConfigInput) {
  const pair = { compiled: createNormaliser(config, { timeoutMs: TIMEOUT_MS }), interpreted: createNormaliser(config, { timeoutMs: TIMEOUT_MS, interpreterOnly: true }) };
  normalisers.push(pair.compiled, pair.interpreted);
  return pair;
}
afterAll(async () => {
  await Promise.all(normalisers.map((normaliser) => normaliser.close()));
});

async function expectSameNormalised(pair: ReturnType<typeof normaliserPair>, provider: Provider, payload: unknown, instance?: string): Promise<void> {
  const context = { tenant: 'acme', sourceId: 'src-1', provider, receivedAt: RECEIVED_AT, ...(instance ? { instance } : {}) };
  const viaCompiled = await pair.compiled.normalise(structuredClone(payload), context);
  const viaInterpreter = await pair.interpreted.normalise(structuredClone(payload), context);
  expect(viaCompiled).toStrictEqual(viaInterpreter);
}

// ---------------------------------------------------------------- payload variants

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 1e21, 2 ** 53 + 1, Infinity, -Infinity, 1718000000, 1718000000000),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', '0', '1', '2', '5', 'P1', 'p3', 'critical', 'resolved', 'OK', 'PROBLEM', 'RECOVERY', 'firing', 'incident', 'done', 'yes', '[Triggered] x', '[P2] y on {service:a,host:b}]', 'ÿ€😀', '\u0000', 'https://acme.example.com/x', '/relative', '2024-06-10T08:38:41Z', '2024-06-10 08:38:41', '1718000000', 'not a date', '{"a":1}', '[{"tag":"a","value":"b"}]', 'closed', 'service:api'),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 })),
})).value;

type Mutation = { at: number; kind: 'delete' | 'set' | 'wrap' | 'pair' | 'stringify' | 'add'; key: number; value: unknown };

const mutations = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('delete', 'set', 'wrap', 'pair', 'stringify', 'add') as fc.Arbitrary<Mutation['kind']>,
    key: fc.nat(),
    value,
  }),
  { minLength: 1, maxLength: 6 },
);

/** Every name a preset reads (the `name` steps of its AST): the keys generated objects get. */
function namesRead(text: string): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'name' && typeof record.value === 'string') names.add(record.value);
    if (record.type === 'string' && typeof record.value === 'string' && /^[a-z@][\w.@-]*$/i.test(record.value)) names.add(record.value);
    Object.values(record).forEach(walk);
  };
  walk(jsonata(text).ast());
  return [...names].sort();
}

function containers(root: unknown): Array<Record<string, unknown> | unknown[]> {
  const found: Array<Record<string, unknown> | unknown[]> = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    found.push(node as Record<string, unknown> | unknown[]);
    Object.values(node).forEach(visit);
  };
  visit(root);
  return found;
}

function mutate(seed: unknown, changes: Mutation[], names: string[]): unknown {
  const payload = { root: structuredClone(seed) } as Record<string, unknown>;
  for (const change of changes) {
    const all = containers(payload);
    const target = all[change.at % all.length];
    const keys = Object.keys(target);
    if (change.kind === 'add' || keys.length === 0) {
      if (Array.isArray(target)) target.push(change.value);
      else target[names[change.key % names.length]] = change.value;
      continue;
    }
    const key = keys[change.key % keys.length];
    const record = target as Record<string, unknown>;
    const current = record[key];
    if (change.kind === 'delete') {
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete record[key];
    } else if (change.kind === 'set') record[key] = change.value;
    else if (change.kind === 'wrap') record[key] = [current];
    else if (change.kind === 'pair') record[key] = [current, change.value];
    else record[key] = typeof current === 'number' ? String(current) : typeof current === 'string' && current.trim() !== '' && Number.isFinite(Number(current)) ? Number(current) : JSON.stringify(current ?? null);
  }
  return payload.root;
}

const ODD_PAYLOADS: unknown[] = [null, [], {}, 'text', 42, true, [{}], [null], [[]], { alerts: [] }, { data: [] }, { event: {} }, { result: {} }];

// ---------------------------------------------------------------- the tests

describe('compiled presets agree with the JSONata interpreter', () => {
  it('covers every preset with a fixture, and every preset compiles to a function', () => {
    expect([...PROVIDERS].sort()).toEqual(Object.keys(PRESETS).sort());
    for (const preset of Object.values(PRESETS)) {
      expect(compileMapping(preset.expression)).toMatchObject({ ok: true, mapping: { run: expect.any(Function) } });
    }
  });

  it.each(FIXTURES)('%s: same raw output, same candidates and quarantine reasons', async (name) => {
    await loadBuiltins();
    const provider = providerOf(name);
    const payload = fixture(name);
    await expectSameRaw(provider, payload);
    const pair = normaliserPair({ provider });
    await expectSameNormalised(pair, provider, payload);
    await expectSameNormalised(pair, provider, payload, 'pinned.example');
  });

  it.each(PROVIDERS)('%s: odd payloads give the same result', async (provider) => {
    await loadBuiltins();
    const pair = normaliserPair({ provider });
    for (const payload of ODD_PAYLOADS) {
      await expectSameRaw(provider, payload);
      await expectSameNormalised(pair, provider, payload);
    }
  });

  it.each(PROVIDERS)('%s: generated payload variants give the same result', async (provider) => {
    await loadBuiltins();
    const seeds = FIXTURES.filter((name) => providerOf(name) === provider).map(fixture);
    const names = namesRead(PRESETS[provider].expression);
    const pair = normaliserPair({ provider });
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (seedIndex, changes) => {
        const payload = mutate(seeds[seedIndex % seeds.length], changes, names);
        await expectSameRaw(provider, payload);
        await expectSameNormalised(pair, provider, payload);
      }),
      { numRuns: RUNS_PER_PRESET },
    );
  });

  it('a user mapping with overrides and custom fields (run on the worker pool) agrees too', async () => {
    const config: MappingConfigInput = {
      provider: 'generic',
      fieldOverrides: { title: '$uppercase(title) & " (" & $string($count($keys($))) & ")"', severity: 'severity ?: "low"' },
      customFields: { first: '$payload.labels.*[0]', tags: '$join($filter($keys($payload), function($k) { $contains($k, "e") })^($), ",")' },
      regulatoryRefsPath: 'regulatory_references[$type($) = "string"]',
    };
    const pair = normaliserPair(config);
    const seeds = FIXTURES.filter((name) => providerOf(name) === 'generic').map(fixture);
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (seedIndex, changes) => {
        const payload = mutate(seeds[seedIndex % seeds.length], changes, ['title', 'severity', 'labels', 'regulatory_references', 'dedup_key']);
        await expectSameNormalised(pair, 'generic', payload);
      }),
      { numRuns: 20 },
    );
  });

  it('would catch a compiled function that differs (a deliberately wrong one fails the comparison)', async () => {
    await loadBuiltins();
    const honest = compiledPreset(PRESETS.pagerduty.expression).run;
    const wrong: typeof honest = (input, bindings) => {
      const result = honest(input, bindings) as Record<string, unknown> | undefined;
      return result && typeof result === 'object' && !Array.isArray(result) ? { ...result, title: undefined } : result;
    };
    await expect(expectSameRaw('pagerduty', fixture('pagerduty.incident.triggered'), wrong)).rejects.toThrow();
  });
});
