import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { MappingWorkerPool } from '../../core/mapping/guard/mapping-worker-pool';

const HOSTILE_TITLE = '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/).match';
const payload = { title: 'Disk full', severity: 'high', dedup_key: 'disk-1' };
const context = { tenant: 't', sourceId: 's', provider: 'generic', receivedAt: new Date('2024-06-10T09:00:00Z') };

describe('mapping guard', () => {
  const pool = new MappingWorkerPool({ size: 1 });
  afterAll(() => pool.close());

  it('a catastrophic regex cannot stall the event loop; the event is quarantined and the next one maps', async () => {
    const hostile = createNormaliser({ provider: 'generic', fieldOverrides: { title: HOSTILE_TITLE } }, { pool });
    const friendly = createNormaliser({ provider: 'generic', fieldOverrides: { title: '$uppercase(title)' } }, { pool });
    await friendly.normalise(payload, context); // warm the worker so startup is not measured

    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let maxDrift = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxDrift = Math.max(maxDrift, now - last - 5);
      last = now;
    }, 5);
    histogram.enable();
    const started = performance.now();
    const result = await hostile.normalise(payload, context);
    const elapsed = performance.now() - started;
    const next = await friendly.normalise(payload, context);
    histogram.disable();
    clearInterval(probe);

    const worstStallMs = histogram.max / 1e6;
    console.log(`guard: hostile event settled in ${elapsed.toFixed(0)} ms; worst event-loop stall ${worstStallMs.toFixed(1)} ms (histogram), ${maxDrift.toFixed(1)} ms (interval drift)`);
    expect(worstStallMs).toBeLessThan(100);
    expect(maxDrift).toBeLessThan(100);
    expect(result.candidates).toEqual([]);
    expect(result.quarantined).toEqual([{ index: 0, reasons: [{ field: 'mapping', message: 'mapping exceeded 250 ms' }], partial: null }]);
    expect(next.candidates.map((c) => c.incident.title)).toEqual(['DISK FULL']);
    expect(pool.stats.killedForTimeout).toBe(1);
  });
});
