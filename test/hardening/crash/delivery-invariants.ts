import { DatabaseSync } from 'node:sqlite';

export interface DeliveryRow {
  id: string;
  state: string;
  idempotency_key: string;
  attempts: number;
  total_attempts: number;
  lease_owner: string | null;
}

export interface DeliveryCheck {
  problems: string[];
  rows: DeliveryRow[];
}

const FINAL = new Set(['delivered', 'dead_letter']);

/**
 * Checks an outbox a killed delivery host left behind: the file is intact, every enqueued delivery is still
 * there, attempts are numbered without gaps, and finished deliveries hold no lease.
 */
export function checkOutbox(path: string, enqueued: ReadonlySet<string>): DeliveryCheck {
  const problems: string[] = [];
  const db = new DatabaseSync(path);
  try {
    const integrity = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    if (integrity[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    const rows = db.prepare('SELECT id, state, idempotency_key, attempts, total_attempts, lease_owner FROM deliveries').all() as unknown as DeliveryRow[];
    const present = new Set(rows.map((row) => row.id));
    for (const id of enqueued) if (!present.has(id)) problems.push(`delivery ${id} was enqueued and is gone`);
    for (const row of rows) {
      const numbers = (db.prepare('SELECT number FROM delivery_attempts WHERE delivery_id = ? ORDER BY number').all(row.id) as Array<{ number: number }>).map((a) => Number(a.number));
      // A claim counts its attempt at once; the attempt's record is written when it ends (or when a restart
      // takes back the lease of a host that died mid-attempt).
      const recorded = Number(row.total_attempts) - (row.state === 'in_flight' ? 1 : 0);
      const expected = Array.from({ length: recorded }, (_, i) => i + 1);
      if (JSON.stringify(numbers) !== JSON.stringify(expected)) problems.push(`delivery ${row.id} (${row.state}): attempts ${JSON.stringify(numbers)} for total_attempts ${row.total_attempts}`);
      if (FINAL.has(row.state) && row.lease_owner !== null) problems.push(`delivery ${row.id} is ${row.state} but still leased to ${row.lease_owner}`);
    }
    return { problems, rows };
  } finally {
    db.close();
  }
}

export const isFinal = (row: DeliveryRow) => FINAL.has(row.state);
