import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { disableSource } from '../../../core/sources/disable-source';
import { openSqliteStore } from '../../../core/store';

/** Row counts that say what a request wrote. */
export interface StoreSnapshot {
  receipts: number;
  /** Receipts whose answer was never written: a half-finished request. */
  unanswered: number;
  events: Record<string, number>;
  incidents: number;
  /** Events whose receipt does not exist. */
  orphanEvents: number;
}

export interface StoreDelta {
  receipts: number;
  events: Record<string, number>;
  incidents: number;
}

function withDatabase<T>(path: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

const count = (db: DatabaseSync, sql: string, ...params: string[]) => Number((db.prepare(sql).get(...params) as { n: number }).n);

/** Reads counts from a SQLite intake store file another process is writing (WAL: readers never block it). */
export function snapshot(path: string): StoreSnapshot {
  if (!existsSync(path)) return { receipts: 0, unanswered: 0, events: {}, incidents: 0, orphanEvents: 0 };
  return withDatabase(path, (db) => {
    const events: Record<string, number> = {};
    for (const row of db.prepare('SELECT state, count(*) AS n FROM events GROUP BY state').all() as Array<{ state: string; n: number }>) events[row.state] = Number(row.n);
    return {
      receipts: count(db, 'SELECT count(*) AS n FROM receipts'),
      unanswered: count(db, "SELECT count(*) AS n FROM receipts WHERE http_status = 0 OR outcome = 'processing'"),
      events,
      incidents: count(db, 'SELECT count(*) AS n FROM incidents'),
      orphanEvents: count(db, 'SELECT count(*) AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.id = e.receipt_id)'),
    };
  });
}

export function delta(before: StoreSnapshot, after: StoreSnapshot): StoreDelta {
  const events: Record<string, number> = {};
  for (const state of new Set([...Object.keys(before.events), ...Object.keys(after.events)])) {
    const change = (after.events[state] ?? 0) - (before.events[state] ?? 0);
    if (change !== 0) events[state] = change;
  }
  return { receipts: after.receipts - before.receipts, events, incidents: after.incidents - before.incidents };
}

/** The events a receipt produced, for checking what a stored request contains. */
export function eventsOfReceipt(path: string, receiptId: string): Array<{ state: string; candidate: string | null; reasons: string }> {
  return withDatabase(path, (db) => db.prepare('SELECT state, candidate, reasons FROM events WHERE receipt_id = ? ORDER BY position').all(receiptId) as never);
}

/** Operator action from outside the host: disables a source in the store the host uses (audited, as an operator would). */
export async function disableSourceInStore(path: string, tenant: string, sourceId: string, provider: string): Promise<void> {
  const store = await openSqliteStore(path);
  try {
    await store.transaction(async (r) => {
      const now = Date.now();
      await r.sources.ensure(tenant, sourceId, provider, sourceId, now);
      await disableSource(r, tenant, sourceId, 'disabled by the hardening suite', 'hardening-operator', now);
    });
  } finally {
    await store.close();
  }
}
