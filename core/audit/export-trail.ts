import type { AuditEntry } from '../store/records';
import type { Store } from '../store/store';

/** One line of an exported trail: the entry as stored, with both chain hashes, `at` as ISO 8601 and in ms. */
export type ExportedAuditEntry = Omit<AuditEntry, 'at'> & { at: string; atMs: number };

/** Writes a tenant's trail oldest first as JSON Lines, page by page; resolves to the number of entries written. */
export async function exportAuditTrail(store: Store, tenant: string, write: (line: string) => void | Promise<void>, pageSize = 1_000): Promise<number> {
  let afterSeq = 0;
  let written = 0;
  for (;;) {
    const page = await store.transaction((r) => r.audit.pageAfter(tenant, afterSeq, pageSize));
    for (const entry of page) {
      const line: ExportedAuditEntry = { ...entry, at: new Date(entry.at).toISOString(), atMs: entry.at };
      await write(`${JSON.stringify(line)}\n`);
      written += 1;
      afterSeq = entry.seq;
    }
    if (page.length < pageSize) return written;
  }
}
