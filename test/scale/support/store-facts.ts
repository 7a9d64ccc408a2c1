import { dayWindow } from '../../../core/limits/windows';
import type { DeliveryAttemptRecord, DeliveryRecord } from '../../../core/store/delivery-records';
import type { AuditEntry, EventRecord, IncidentRecord, ReceiptRecord } from '../../../core/store/records';
import type { Store } from '../../../core/store/store';

export interface StoreFacts {
  incidents: IncidentRecord[];
  pending: EventRecord[];
  deliveries: DeliveryRecord[];
  receiptCount: number;
  audit: AuditEntry[];
  auditBreak: number | undefined;
  /** The tenant-day budget counters of the days the run touched. */
  budgetCounts: number[];
}

const MAX_ROWS = 1_000;

/** What the shared database says after the run, read in one transaction. */
export function readFacts(store: Store, tenant: string, since: number): Promise<StoreFacts> {
  return store.transaction(async (r) => {
    const days = [...new Set([dayWindow(since), dayWindow(Date.now())])];
    return {
      incidents: await r.incidents.list(tenant, { view: 'recent', limit: MAX_ROWS }),
      pending: await r.events.list(tenant, { state: 'pending_review', limit: MAX_ROWS }),
      deliveries: await r.deliveries.list(tenant, { limit: MAX_ROWS }),
      receiptCount: await r.receipts.count(tenant),
      audit: await r.audit.list(tenant, 100_000),
      auditBreak: await r.audit.verifyChain(tenant),
      budgetCounts: await Promise.all(days.map((day) => r.counters.read(tenant, 'tenant-day', day))),
    };
  });
}

/** Whether the queue is empty and every incident's current version has been delivered. */
export async function drained(store: Store, tenant: string): Promise<boolean> {
  const facts = await store.transaction(async (r) => ({
    incidents: await r.incidents.list(tenant, { view: 'recent', limit: MAX_ROWS }),
    pending: await r.events.list(tenant, { state: 'pending_review', limit: 1 }),
    deliveries: await r.deliveries.list(tenant, { limit: MAX_ROWS }),
  }));
  if (facts.pending.length > 0 || facts.deliveries.some((delivery) => delivery.state !== 'delivered')) return false;
  const delivered = new Set(facts.deliveries.map((delivery) => `${delivery.incidentId}@${delivery.eventVersion}`));
  return facts.incidents.every((incident) => delivered.has(`${incident.id}@${incident.version}`));
}

export function receiptOf(store: Store, tenant: string, sourceId: string, messageId: string): Promise<{ receipt?: ReceiptRecord; events: EventRecord[] }> {
  return store.transaction(async (r) => {
    const receipt = await r.receipts.findByReplayKey(tenant, sourceId, `id:${messageId}`);
    return { receipt, events: receipt ? await r.events.listByReceipt(receipt.id) : [] };
  });
}

export function attemptsOf(store: Store, tenant: string, deliveryId: string): Promise<DeliveryAttemptRecord[]> {
  return store.transaction((r) => r.deliveryAttempts.forDelivery(tenant, deliveryId));
}
