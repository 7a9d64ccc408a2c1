import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../../core/store';

/** What the test knows about one message it sent: every answer it got (status 0 = the host died first). */
export interface SentMessage {
  id: string;
  answers: Array<{ status: number; receiptId?: string }>;
}

export interface IntakeCheck {
  problems: string[];
  receipts: number;
}

const rows = <T>(db: DatabaseSync, sql: string, ...params: string[]) => db.prepare(sql).all(...params) as T[];

/**
 * Checks a store a killed intake host left behind: the file is intact, no request is half-written, and every
 * request that was answered 2xx is stored exactly once, complete, under the receipt its answer named.
 */
export async function checkIntakeStore(path: string, messages: Iterable<SentMessage>): Promise<IntakeCheck> {
  const problems: string[] = [];
  const db = new DatabaseSync(path);
  try {
    const integrity = rows<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    if (integrity[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    for (const row of rows<{ id: string }>(db, "SELECT id FROM receipts WHERE http_status = 0 OR outcome = 'processing'")) problems.push(`half-written receipt ${row.id}`);
    for (const row of rows<{ id: string; n: number }>(db, 'SELECT r.id, (SELECT count(*) FROM events e WHERE e.receipt_id = r.id) AS n FROM receipts r')) {
      if (Number(row.n) !== 1) problems.push(`receipt ${row.id} has ${row.n} events, expected 1`);
    }
    for (const row of rows<{ id: string }>(db, 'SELECT e.id FROM events e LEFT JOIN receipts r ON r.id = e.receipt_id WHERE r.id IS NULL')) problems.push(`event ${row.id} without its receipt`);
    for (const row of rows<{ id: string }>(db, 'SELECT i.id FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_provenance p WHERE p.incident_id = i.id)')) problems.push(`incident ${row.id} without provenance`);
    for (const row of rows<{ id: string }>(db, "SELECT e.id FROM events e WHERE e.incident_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.incident_id)")) problems.push(`event ${row.id} points at a missing incident`);
    // The outbox pattern: an incident change and its delivery commit together.
    for (const row of rows<{ id: string; version: number }>(db, 'SELECT i.id, i.version FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.incident_id = i.id AND d.event_version = i.version)')) {
      problems.push(`incident ${row.id} version ${row.version} has no delivery`);
    }
    for (const message of messages) {
      const answered = message.answers.filter((answer) => answer.status >= 200 && answer.status < 300);
      if (answered.length === 0) continue;
      const stored = rows<{ id: string; http_status: number }>(db, 'SELECT id, http_status FROM receipts WHERE replay_key = ?', `id:${message.id}`);
      if (stored.length !== 1) {
        problems.push(`${message.id} was answered ${answered.map((a) => a.status).join('/')} but is stored ${stored.length} times`);
        continue;
      }
      for (const answer of answered) {
        if (answer.receiptId !== stored[0]!.id) problems.push(`${message.id} was answered with receipt ${answer.receiptId}, stored as ${stored[0]!.id}`);
      }
    }
    const receipts = Number(rows<{ n: number }>(db, 'SELECT count(*) AS n FROM receipts')[0]!.n);
    return { problems: [...problems, ...(await auditProblems(path))], receipts };
  } finally {
    db.close();
  }
}

async function auditProblems(path: string): Promise<string[]> {
  const store = await openSqliteStore(path);
  try {
    const broken = await store.transaction((r) => r.audit.verifyChain('crash'));
    return broken === undefined ? [] : [`audit chain broken at seq ${broken}`];
  } finally {
    await store.close();
  }
}
