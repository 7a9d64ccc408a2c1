import { describe, expect, it } from 'vitest';
import { webhookDestinationSchema, type DestinationConfig } from '../../core/delivery';
import { DestinationSet } from '../../core/delivery/destination-set';
import { destinationRuntime } from '../../core/delivery/destination-runtime';
import { UndiciTransport } from '../../core/delivery/http-transport';
import type { Store } from '../../core/store';
import { FakeClock } from './support/fake-clock';
import { START } from './support/harness';

const store = {} as Store;
const webhook = (id: string, url = 'http://127.0.0.1:9/in', tenant = 't1') => webhookDestinationSchema.parse({ kind: 'webhook', id, tenant, url, signing: { scheme: 'none' } });

function setUp(fixed: DestinationConfig[] = []) {
  const clock = new FakeClock(START);
  const transport = new UndiciTransport();
  let next: () => DestinationConfig[] = () => [];
  const errors: unknown[] = [];
  const set = new DestinationSet(fixed, (config) => destinationRuntime(config, transport, clock), async () => next());
  const current = async () => [...(await set.current(store, clock.now(), 1_000, (error) => errors.push(error)))];
  return { clock, set, errors, current, source: (yields: () => DestinationConfig[]) => (next = yields) };
}

describe('the destinations a worker serves', () => {
  it('reloads its source once per interval, or at once when marked stale', async () => {
    const { clock, set, current, source } = setUp();
    source(() => [webhook('a')]);
    expect((await current()).map((runtime) => runtime.config.id)).toEqual(['a']);
    source(() => [webhook('a'), webhook('b')]);
    clock.advance(999);
    expect(await current()).toHaveLength(1);
    clock.advance(1);
    expect(await current()).toHaveLength(2);
    source(() => []);
    set.markStale();
    expect(await current()).toEqual([]);
  });

  it('keeps the runtime of an unchanged config and replaces a changed one', async () => {
    const { set, current, source } = setUp();
    source(() => [webhook('a')]);
    const [first] = await current();
    set.markStale();
    expect((await current())[0]).toBe(first);
    source(() => [webhook('a', 'http://127.0.0.1:10/in')]);
    set.markStale();
    const [changed] = await current();
    expect(changed).not.toBe(first);
    expect(changed!.config).toMatchObject({ url: 'http://127.0.0.1:10/in' });
  });

  it('keeps the last set when a reload fails, and reports the failure', async () => {
    const { set, errors, current, source } = setUp();
    source(() => [webhook('a')]);
    await current();
    source(() => {
      throw new Error('store unreachable');
    });
    set.markStale();
    expect((await current()).map((runtime) => runtime.config.id)).toEqual(['a']);
    expect(errors).toEqual([new Error('store unreachable')]);
  });

  it('prefers the host-supplied destination over a loaded one with the same tenant and id', async () => {
    const hosted = webhook('a', 'http://127.0.0.1:11/in');
    const { current, source } = setUp([hosted]);
    source(() => [webhook('a'), webhook('a', 'http://127.0.0.1:12/in', 't2')]);
    const runtimes = await current();
    expect(runtimes.map((runtime) => [runtime.config.tenant, 'url' in runtime.config ? runtime.config.url : undefined])).toEqual([
      ['t1', 'http://127.0.0.1:11/in'],
      ['t2', 'http://127.0.0.1:12/in'],
    ]);
  });
});
