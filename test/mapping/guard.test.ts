import { watchLoop } from '../support/loop-watch';
import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { MappingWorkerPool } from '../../core/mapping/guard/mapping-worker-pool';
import type { MappingConfigInput } from '../../core/mapping/mapping-config';
import { MappingConfigError } from '../../core/mapping/validate-mapping-config';
import { RECEIVED_AT } from './support';

/** Exponential backtracking: ~2^41 steps, hours of CPU if nothing interrupts it. */
const CATASTROPHIC_TITLE = '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/).match';
const payload = { title: 'Disk full', severity: 'high', dedup_key: 'disk-1' };
const context = { tenant: 't', sourceId: 's', provider: 'generic', receivedAt: RECEIVED_AT };

function generic(fieldOverrides: Record<string, string>): MappingConfigInput {
  return { provider: 'generic', fieldOverrides };
}

/**
 * Worst event-loop stall while `work` runs, measured as the hardening suites do: the loop's delay less the time
 * this process waited for a core, so a busy shared machine does not count as a stall the guard caused.
 */
async function measureStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; elapsedMs: number }> {
  const watch = watchLoop();
  const started = performance.now();
  const result = await work();
  const elapsedMs = performance.now() - started;
  return { result, stallMs: watch.stop().stallMs, elapsedMs };
}

describe('mapping guard', () => {
  const pool = new MappingWorkerPool({ size: 1, maxHeapMb: 64 });
  afterAll(() => pool.close());

  it('JSONata’s own time limit does not stop a catastrophic regex in-process (why the guard exists)', async () => {
    const expression = jsonata(`$match("${'a'.repeat(23)}!", /(a+)+$/)`, { timeout: 20 });
    const started = performance.now();
    await expression.evaluate({}).catch(() => undefined);
    expect(performance.now() - started).toBeGreaterThan(100);
  });

  it('a catastrophic regex cannot stall the event loop: the event is quarantined and the next one maps', async () => {
    const hostile = createNormaliser(generic({ title: CATASTROPHIC_TITLE }), { pool });
    const friendly = createNormaliser(generic({ title: '$uppercase(title)' }), { pool });
    await friendly.normalise(payload, context); // a warm worker, so startup is not part of the measurement
    const killedBefore = pool.stats.killedForTimeout;

    // Best of three: the host's scheduler (other suites running in parallel) can add noise to one
    // measurement; an unguarded regex would stall for minutes on every attempt.
    const attempts: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { result, stallMs, elapsedMs } = await measureStall(async () => {
        const quarantined = await hostile.normalise(payload, context);
        const next = await friendly.normalise(payload, context);
        return { quarantined, next };
      });
      console.log(`guard: hostile event + next event settled in ${elapsedMs.toFixed(0)} ms; worst event-loop stall ${stallMs.toFixed(1)} ms`);
      attempts.push(stallMs);
      expect(result.quarantined.candidates).toEqual([]);
      expect(result.quarantined.quarantined).toEqual([{ index: 0, reasons: [{ field: 'mapping', message: 'mapping exceeded 250 ms' }], partial: null }]);
      expect(result.next.candidates.map((candidate) => candidate.incident.title)).toEqual(['DISK FULL']);
      if (stallMs < 100) break;
    }
    expect(Math.min(...attempts)).toBeLessThan(100);
    expect(pool.stats.killedForTimeout - killedBefore).toBe(attempts.length);
  });

  it('a mapping that allocates past the heap cap is quarantined; the process survives and the next event maps', async () => {
    const hungry = createNormaliser(generic({ title: '$string($length($pad("", 400000000, "x")))' }), { pool, timeoutMs: 5_000 });
    const friendly = createNormaliser(generic({ title: '$lowercase(title)' }), { pool });
    const result = await hungry.normalise(payload, context);
    expect(result.quarantined).toEqual([{ index: 0, reasons: [{ field: 'mapping', message: 'mapping exceeded the memory limit (64 MB)' }], partial: null }]);
    expect((await friendly.normalise(payload, context)).candidates.map((candidate) => candidate.incident.title)).toEqual(['disk full']);
  });

  it('an endless loop stops at JSONata’s time limit without killing the worker', async () => {
    const looping = createNormaliser(generic({ title: '($loop := function($n) { $n < 0 ? 0 : $loop($n + 1) }; $string($loop(0)))' }), { pool, timeoutMs: 100 });
    const killedBefore = pool.stats.killedForTimeout;
    const result = await looping.normalise(payload, context);
    expect(result.quarantined).toEqual([{ index: 0, reasons: [{ field: 'title', message: 'mapping exceeded 100 ms' }], partial: expect.any(Object) }]);
    expect(pool.stats.killedForTimeout).toBe(killedBefore);
  });

  it('deep recursion and huge sequences stop at the depth and sequence guardrails', async () => {
    const deep = createNormaliser(generic({ title: '($f := function($n) { 1 + $f($n + 1) }; $string($f(0)))' }), { pool });
    const huge = createNormaliser({ provider: 'generic', expression: '{"title": $string($sum([1..9999999]))}' }, { pool });
    expect((await deep.normalise(payload, context)).quarantined[0].reasons).toEqual([{ field: 'title', message: 'mapping exceeded the maximum evaluation depth (200)' }]);
    expect((await huge.normalise(payload, context)).quarantined[0].reasons).toEqual([{ field: 'mapping', message: 'mapping exceeded the maximum sequence size (100000)' }]);
  });

  it('events running side by side are isolated: only the hostile ones are quarantined', async () => {
    const wide = new MappingWorkerPool({ size: 2 });
    try {
      const hostile = createNormaliser(generic({ title: CATASTROPHIC_TITLE }), { pool: wide });
      const friendly = createNormaliser(generic({ title: '$uppercase(title)' }), { pool: wide });
      const results = await Promise.all([hostile, friendly, friendly, hostile, friendly, friendly].map((normaliser) => normaliser.normalise(payload, context)));
      expect(results.map((result) => (result.candidates.length === 1 ? result.candidates[0].incident.title : result.quarantined[0].reasons[0].message))).toEqual([
        'mapping exceeded 250 ms',
        'DISK FULL',
        'DISK FULL',
        'mapping exceeded 250 ms',
        'DISK FULL',
        'DISK FULL',
      ]);
    } finally {
      await wide.close();
    }
  });

  it('refuses $eval at save time, with its position', () => {
    const attempt = () => createNormaliser(generic({ title: 'title & $eval("$string(1)")' }));
    expect(attempt).toThrow(MappingConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as MappingConfigError).issues).toEqual([
        {
          field: 'fieldOverrides.title',
          message: '$eval is not allowed in mappings: it would evaluate text from the event as an expression',
          position: 8,
          line: 1,
          column: 9,
        },
      ]);
    }
  });

  it('offers no way out of the event: prototypes, globals and process are unreachable', async () => {
    process.env.MAPPING_GUARD_TEST_SECRET = 'do-not-leak';
    const probe = '$join([$type($.constructor), $type($.__proto__), $type($lookup($, "constructor")), $type($process), $type($require), $type($globalThis), $type($env)], ",")';
    const normaliser = createNormaliser(generic({ title: `"[" & ${probe} & "]"`, description: '$string($$)' }), { pool });
    const [incident] = (await normaliser.normalise(payload, context)).candidates.map((candidate) => candidate.incident);
    expect(incident.title).toBe('[]');
    expect(incident.description).toBe(JSON.stringify(payload));
    delete process.env.MAPPING_GUARD_TEST_SECRET;
  });
});
