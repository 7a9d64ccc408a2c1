import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalIncidentSchema } from '../../../core/incident/canonical-incident';
import { OUTCOME_STATUS } from '../../../core/intake/outcome';
import { createNormaliser, type ClosableNormaliser } from '../../../core/mapping/create-normaliser';
import type { NormaliseResult } from '../../../core/mapping/normaliser';
import { PROVIDERS } from '../../../core/mapping/providers';
import { intakeHarness } from '../../support/intake-fixture';
import { mutated, type Json } from './json-mutations';
import { count, printTally, propertyRuns } from './runs';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'providers');
const RECEIVED_AT = new Date('2026-11-23T12:00:00.000Z');

function fixturesOf(provider: string): Json[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.startsWith(`${provider}.`))
    .map((file) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Json);
}

const normalisers: ClosableNormaliser[] = [];
afterAll(async () => {
  await Promise.all(normalisers.map((normaliser) => normaliser.close()));
  printTally('mappings-never-throw');
});

/** What "every failure becomes a quarantine reason" means for one result. */
function expectWellFormed(result: NormaliseResult): void {
  for (const item of result.quarantined) {
    expect(item.reasons.length, JSON.stringify(item)).toBeGreaterThan(0);
    for (const reason of item.reasons) {
      expect(typeof reason.field === 'string' && reason.field.length > 0, JSON.stringify(reason)).toBe(true);
      expect(typeof reason.message === 'string' && reason.message.length > 0, JSON.stringify(reason)).toBe(true);
    }
  }
  for (const { incident } of [...result.candidates, ...result.filtered]) expect(canonicalIncidentSchema.safeParse(incident).success).toBe(true);
}

async function normaliseSafely(normaliser: ClosableNormaliser, payload: unknown, provider: string): Promise<NormaliseResult> {
  const result = await normaliser.normalise(payload, { tenant: 'acme', sourceId: 'src', provider, receivedAt: RECEIVED_AT });
  expectWellFormed(result);
  return result;
}

describe('provider presets never throw out of the core', () => {
  for (const provider of PROVIDERS) {
    it(`${provider}: mutated provider payloads and arbitrary JSON map or quarantine with reasons`, async () => {
      const normaliser = createNormaliser({ provider });
      normalisers.push(normaliser);
      const payloads = fc.oneof({ weight: 3, arbitrary: mutated(fixturesOf(provider)) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) });
      await fc.assert(
        fc.asyncProperty(payloads, async (payload) => {
          count(`preset:${provider}`);
          await normaliseSafely(normaliser, payload, provider);
        }),
        propertyRuns(300),
      );
    });
  }
});

/** User mappings: functions over fields of an arbitrary event, the way people write them. */
const userExpressions = fc
  .tuple(
    fc.constantFrom('data.id', '$string(id)', '$substring($string(a), 1, 3)', '$join(tags, ",")', '$field($, "a.b.c")', '$keys($)[0]', 'x.y.z', '$string($count($))'),
    fc.constantFrom('title', '$uppercase(title)', '$parseJson(text).title', '$split(text, " ")[0]', '$replace(title, /a+/, "b")', '$string($number(n))', '$hostOf(url)', '$trim(title) & "!"'),
    fc.constantFrom('"high"', 'severity', '$lookup({"1": "critical", "2": "low"}, $string(level))', 'level > 2 ? "high" : "low"', '$lowercase(sev)'),
    fc.constantFrom('$receivedAt', '$toUtcIso(time)', '$toUtcIso(time, "auto", "Europe/Berlin")', '$fromMillis($number(ms))', 'created'),
  )
  .map(([id, title, severity, detectedAt]) => `{ "externalId": ${id}, "title": ${title}, "severity": ${severity}, "detectedAt": ${detectedAt}, "status": "open" }`);

const userPayloads = fc.dictionary(
  fc.constantFrom('id', 'a', 'tags', 'title', 'text', 'n', 'url', 'severity', 'level', 'sev', 'time', 'ms', 'created', 'data', 'x'),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 200 }), fc.constantFrom('{"title":"t"}', 'https://a.example/x', '2024-06-10T08:00:00', '1718006400000', 'not json')),
);

describe('user mappings never throw out of the core', () => {
  it('arbitrary events through arbitrary compositions of mapping functions (guarded workers) map or quarantine', async () => {
    const byExpression = new Map<string, ClosableNormaliser>();
    await fc.assert(
      fc.asyncProperty(userExpressions, userPayloads, async (expression, payload) => {
        count('user-mapping');
        let normaliser = byExpression.get(expression);
        if (!normaliser) {
          normaliser = createNormaliser({ provider: 'generic', expression });
          byExpression.set(expression, normaliser);
          normalisers.push(normaliser);
        }
        await normaliseSafely(normaliser, payload, 'generic');
      }),
      propertyRuns(300),
    );
  }, 120_000);

  it('through the whole intake, arbitrary bodies under any preset end in a documented outcome, never a 500', async () => {
    const harnesses = await Promise.all(
      PROVIDERS.map(async (provider) => {
        const normaliser = createNormaliser({ provider });
        normalisers.push(normaliser);
        return intakeHarness({ provider }, normaliser);
      }),
    );
    const bodies = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ maxLength: 300 }).map((text) => Buffer.from(text)),
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: PROVIDERS.length - 1 }), bodies, async (which, raw) => {
        count('whole-intake');
        const answer = await harnesses[which]!.send(undefined, { raw, id: `msg_prop_${++sent}` });
        expect(Object.keys(OUTCOME_STATUS)).toContain(answer.code);
        expect(answer.code, answer.reason).not.toBe('internal_error');
        expect(answer.status).toBe(OUTCOME_STATUS[answer.code]);
      }),
      propertyRuns(300),
    );
    await Promise.all(harnesses.map((harness) => harness.store.close()));
  }, 120_000);
});
