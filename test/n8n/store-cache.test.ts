import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStore, closeIdleStores, leasedStoreCount, openStoreCount } from '../../nodes/shared/store-cache';
import { tempStore } from './support/fixtures';

let store: Awaited<ReturnType<typeof tempStore>>;

beforeEach(async () => {
  store = await tempStore();
});

afterEach(async () => {
  await closeIdleStores();
  await store.cleanup();
});

describe('the per-process store cache', () => {
  it('keeps a store open between executions, so the next one does not open it again', async () => {
    const first = await acquireStore(store.path);
    await first.store.transaction((r) => r.sources.get('default', 'nothing'));
    await first.release();
    expect(leasedStoreCount()).toBe(0);
    expect(openStoreCount()).toBe(1);
    const second = await acquireStore(store.path);
    expect(second.store).toBe(first.store);
    await second.release();
  });

  it('shares one store between concurrent leases and closes it once idle', async () => {
    const [a, b] = await Promise.all([acquireStore(store.path), acquireStore(store.path)]);
    expect(a.store).toBe(b.store);
    expect(leasedStoreCount()).toBe(1);
    await a.release();
    await a.release();
    expect(leasedStoreCount()).toBe(1);
    await closeIdleStores();
    expect(openStoreCount()).toBe(1);
    await b.release();
    await closeIdleStores();
    expect(openStoreCount()).toBe(0);
    // A closed store is not handed out again: the next lease opens a new one.
    const c = await acquireStore(store.path);
    expect(c.store).not.toBe(a.store);
    await expect(c.store.transaction((r) => r.sources.get('default', 'nothing'))).resolves.toBeUndefined();
    await c.release();
  });
});
