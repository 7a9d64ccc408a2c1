import { createHash } from 'node:crypto';
import { createConsole, parseConsoleUsers, type Console } from '../../core/console';
import { acquireStore, type StoreLease } from '../shared/store-cache';

/** What one console node serves from: its store, its users file, where it lives. */
export interface ConsoleRuntimeInput {
  /** Workflow, node and webhook kind (test or production). */
  key: string;
  location: string;
  usersText: string;
  basePath: string;
  secureCookies: boolean;
  deliverTo: Array<{ kind: string; id: string }>;
}

interface Entry {
  fingerprint: string;
  console: Console;
  lease: StoreLease;
}

const entries = new Map<string, Promise<Entry>>();

const fingerprintOf = (input: ConsoleRuntimeInput) => createHash('sha256').update(JSON.stringify([input.location, input.usersText, input.basePath, input.secureCookies, input.deliverTo])).digest('hex');

async function build(input: ConsoleRuntimeInput): Promise<Entry> {
  // Parsed before the store is opened: a bad users file is a clear error, not a half-built console.
  const users = parseConsoleUsers(input.usersText);
  const lease = await acquireStore(input.location);
  try {
    return { fingerprint: fingerprintOf(input), lease, console: createConsole({ store: lease.store, basePath: input.basePath, users, secureCookies: input.secureCookies, deliverTo: input.deliverTo }) };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

async function dispose(entry: Promise<Entry>): Promise<void> {
  const built = await entry.catch(() => undefined);
  if (!built) return;
  await built.console.close();
  await built.lease.release();
}

/**
 * The console of one node, built on first use and kept while the workflow is active (its sessions live in
 * it). A changed users file, store or path builds a new one; the old one is closed.
 */
export async function consoleRuntime(input: ConsoleRuntimeInput): Promise<Console> {
  const fingerprint = fingerprintOf(input);
  const current = entries.get(input.key);
  if (current) {
    const entry = await current.catch(() => undefined);
    if (entry?.fingerprint === fingerprint && entries.get(input.key) === current) return entry.console;
    if (entries.get(input.key) === current) {
      entries.delete(input.key);
      void dispose(current);
    } else return consoleRuntime(input);
  }
  const building = build(input);
  entries.set(input.key, building);
  building.catch(() => {
    if (entries.get(input.key) === building) entries.delete(input.key);
  });
  return (await building).console;
}

export function isConsoleActive(key: string): boolean {
  return entries.has(key);
}

/** The workflow was deactivated (or the node removed): sessions end, the store lease goes back. */
export async function stopConsole(key: string): Promise<void> {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  await dispose(entry);
}
