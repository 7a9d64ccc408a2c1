import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openStore } from '../../core/store/open-store';
import type { Store } from '../../core/store/store';

export interface StoreLease {
  readonly store: Store;
  /** Gives the lease back; the store closes when its last lease is released. */
  release(): Promise<void>;
}

interface Entry {
  opening: Promise<Store>;
  leases: number;
}

const entries = new Map<string, Entry>();

async function open(location: string): Promise<Store> {
  if (!/^postgres(ql)?:\/\//i.test(location) && location !== ':memory:') {
    await mkdir(dirname(location), { recursive: true });
  }
  return openStore(location);
}

/**
 * One open store per location per process, shared by every node using the same intake store credential.
 * Active triggers hold a lease while active; executions hold one while they run.
 */
export async function acquireStore(location: string): Promise<StoreLease> {
  let entry = entries.get(location);
  if (!entry) {
    entry = { opening: open(location), leases: 0 };
    entries.set(location, entry);
  }
  entry.leases++;
  const current = entry;
  let store: Store;
  try {
    store = await current.opening;
  } catch (error) {
    current.leases--;
    if (entries.get(location) === current) entries.delete(location);
    throw error;
  }
  let released = false;
  return {
    store,
    async release() {
      if (released) return;
      released = true;
      current.leases--;
      if (current.leases > 0 || entries.get(location) !== current) return;
      entries.delete(location);
      await store.close();
    },
  };
}

/** Runs `work` with a lease held for its duration. */
export async function withStore<T>(location: string, work: (store: Store) => Promise<T>): Promise<T> {
  const lease = await acquireStore(location);
  try {
    return await work(lease.store);
  } finally {
    await lease.release();
  }
}

/** For tests: how many locations are open. */
export function openStoreCount(): number {
  return entries.size;
}
