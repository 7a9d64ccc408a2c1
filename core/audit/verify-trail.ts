import { AUDIT_GENESIS, auditEntryHash } from '../store/repositories/audit-repository';
import type { AuditEntry } from '../store/records';
import type { Store } from '../store/store';

/** The first entry whose link does not hold, and what that means. */
export interface AuditBreak {
  seq: number;
  reason: string;
}

export interface AuditTrailVerification {
  tenant: string;
  /** Entries checked (up to and including a broken one). */
  entries: number;
  /** The last entry's sequence number and hash: record them to detect later truncation with `expectHead`. */
  head?: { seq: number; hash: string };
  broken?: AuditBreak;
}

export interface VerifyAuditTrailOptions {
  /** A head recorded earlier (its hash): the trail must still contain it, or entries were cut off its end. */
  expectHead?: string;
  pageSize?: number;
  onProgress?: (entries: number) => void;
}

/**
 * Walks a tenant's hash chain page by page and names the first broken link. Each entry's hash covers its
 * predecessor's hash and its own fields, so an edited row fails its own hash, and a deleted or inserted row
 * fails the next entry's link. Removing entries from the end leaves a valid shorter chain: only a head
 * recorded earlier (`expectHead`) can tell that.
 */
export async function verifyAuditTrail(store: Store, tenant: string, options: VerifyAuditTrailOptions = {}): Promise<AuditTrailVerification> {
  const pageSize = options.pageSize ?? 1_000;
  let prevHash = AUDIT_GENESIS;
  let previous: AuditEntry | undefined;
  let entries = 0;
  let headSeen = options.expectHead === undefined;
  for (;;) {
    const page = await store.transaction((r) => r.audit.pageAfter(tenant, previous?.seq ?? 0, pageSize));
    for (const entry of page) {
      entries += 1;
      const broken = checkLink(entry, prevHash, previous);
      if (broken) return { tenant, entries, head: previous && headOf(previous), broken };
      if (entry.hash === options.expectHead) headSeen = true;
      prevHash = entry.hash;
      previous = entry;
    }
    options.onProgress?.(entries);
    if (page.length < pageSize) break;
  }
  const head = previous && headOf(previous);
  if (!headSeen) {
    const reason = `the trail no longer contains the head recorded earlier (${options.expectHead}): entries were removed from its end or it was rewritten`;
    return { tenant, entries, head, broken: { seq: (previous?.seq ?? 0) + 1, reason } };
  }
  return { tenant, entries, head };
}

function checkLink(entry: AuditEntry, prevHash: string, previous: AuditEntry | undefined): AuditBreak | undefined {
  if (entry.prevHash !== prevHash) {
    const reason = previous
      ? `its previous-hash does not match entry ${previous.seq}'s hash: an entry between them was deleted or inserted, or entry ${entry.seq}'s link was rewritten`
      : `the trail's first entry does not start from the genesis hash: entries before it were deleted`;
    return { seq: entry.seq, reason };
  }
  if (auditEntryHash(prevHash, entry, JSON.stringify(entry.details)) !== entry.hash) {
    return { seq: entry.seq, reason: `its fields do not match its hash: the row was edited (${entry.action} on ${entry.subjectType} ${entry.subjectId})` };
  }
  return undefined;
}

function headOf(entry: AuditEntry): { seq: number; hash: string } {
  return { seq: entry.seq, hash: entry.hash };
}

/** Every tenant with an audit trail. */
export function auditTenants(store: Store): Promise<string[]> {
  return store.transaction((r) => r.audit.tenants());
}
