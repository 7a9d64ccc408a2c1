import { MappingWorkerPool } from './mapping-worker-pool';

let shared: MappingWorkerPool | undefined;
let users = 0;

/** The process-wide pool user mappings run on; each normaliser that uses it holds a reference. */
export function acquireSharedPool(): MappingWorkerPool {
  shared ??= new MappingWorkerPool();
  users++;
  return shared;
}

/** Drops one reference; the last one out terminates the workers (they restart on next use). */
export async function releaseSharedPool(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0 && shared) await shared.close();
}

/** Terminates the shared mapping workers now, e.g. on host shutdown or at the end of a CLI run. */
export async function shutdownMappingWorkers(): Promise<void> {
  users = 0;
  if (shared) await shared.close();
}
