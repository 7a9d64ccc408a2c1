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
  /** Set while no lease is held: closes the store unless a lease comes first. */
  idle?: NodeJS.Timeout;
}

/**
 * How long a store stays open after its last lease is given back. A queue-mode worker holds no trigger, so
 * each execution would otherwise open the store again (a new PostgreSQL pool, the migration check) and close
 * it at its end.
 */
export const STORE_IDLE_MS = 30_000;

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
  clearTimeout(entry.idle);
  entry.idle = undefined;
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
      current.idle = setTimeout(() => void closeEntry(location, current), STORE_IDLE_MS);
      current.idle.unref();
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

async function closeEntry(location: string, entry: Entry): Promise<void> {
  if (entry.leases > 0 || entries.get(location) !== entry) return;
  clearTimeout(entry.idle);
  entries.delete(location);
  // Closing is best effort: nothing waits for it, and a failure must not become an unhandled rejection.
  await entry.opening.then((store) => store.close()).catch(() => undefined);
}

/** Closes every store no lease holds now, without waiting for {@link STORE_IDLE_MS}. */
export async function closeIdleStores(): Promise<void> {
  await Promise.all([...entries].map(([location, entry]) => closeEntry(location, entry)));
}

/** For tests: how many locations are open (idle ones included). */
export function openStoreCount(): number {
  return entries.size;
}

/** For tests: how many locations are held by at least one lease. */
export function leasedStoreCount(): number {
  return [...entries.values()].filter((entry) => entry.leases > 0).length;
}
