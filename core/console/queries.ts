import type { Clock } from '../clock';
import { destinationHealth, type DestinationHealth } from '../delivery/health';
import { deadlinesOf } from '../incidents/incident-queries';
import type { Deadline } from '../regulatory/deadlines';
import { sourceHealth, type SourceHealth } from '../sources/source-admin';
import type { DeliveryRecord, DeliveryState } from '../store/delivery-records';
import type { EventRecord, EventState, IncidentRecord } from '../store/records';
import type { TimeCursor } from '../store/repositories/console-repository';
import type { Store } from '../store/store';
import { pageOf } from './cursor';

/** One keyset page: the rows, and the cursor of the next page when there is one. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/** Events in one state (the review queue, quarantine), newest first. Shared by the pages and the API. */
export async function eventPage(store: Store, tenant: string, query: { state: EventState; sourceId?: string; after?: TimeCursor; limit: number }): Promise<Page<EventRecord>> {
  const rows = await store.transaction((r) => r.console.eventPage(tenant, { ...query, limit: query.limit + 1 }));
  return pageOf(rows, query.limit, (event) => ({ at: event.receivedAt, id: event.id }));
}

export interface IncidentSummary {
  incident: IncidentRecord;
  evidenceCount: number;
  /** The earliest report not yet known to be submitted, if a regulation applies. */
  nextReport: Deadline | null;
}

export function nextReportDue(incident: IncidentRecord): Deadline | null {
  const deadlines = deadlinesOf(incident);
  const submitted = new Set<string>();
  if (incident.milestones.doraInitialSubmittedAt !== undefined) submitted.add('dora.initial');
  if (incident.milestones.doraIntermediateSubmittedAt !== undefined) submitted.add('dora.intermediate');
  if (incident.milestones.nis2NotificationSubmittedAt !== undefined) (submitted.add('nis2.notification'), submitted.add('nis2.early_warning'));
  const open = [...deadlines.dora, ...deadlines.nis2].filter((deadline) => !submitted.has(deadline.report));
  return open.sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0] ?? null;
}

export async function incidentPage(store: Store, tenant: string, query: { view: 'active' | 'recent'; since?: number; after?: TimeCursor; limit: number }): Promise<Page<IncidentSummary>> {
  return store.transaction(async (r) => {
    const rows = await r.console.incidentPage(tenant, { ...query, limit: query.limit + 1 });
    const page = pageOf(rows, query.limit, (incident) => ({ at: incident.updatedAt, id: incident.id }));
    const evidence = await r.console.evidenceCounts(tenant, page.items.map((incident) => incident.id));
    return { next: page.next, items: page.items.map((incident) => ({ incident, evidenceCount: evidence.get(incident.id) ?? 0, nextReport: nextReportDue(incident) })) };
  });
}

export async function deliveryPage(
  store: Store,
  tenant: string,
  query: { destinationId?: string; state?: DeliveryState; retrying?: boolean; after?: TimeCursor; limit: number },
): Promise<Page<DeliveryRecord>> {
  const rows = await store.transaction((r) => r.console.deliveryPage(tenant, { ...query, limit: query.limit + 1 }));
  return pageOf(rows, query.limit, (delivery) => ({ at: delivery.createdAt, id: delivery.id }));
}

/** Health of every source of the tenant (the core's per-source health). */
export async function allSourceHealth(store: Store, tenant: string, clock: Clock): Promise<SourceHealth[]> {
  const sources = await store.transaction((r) => r.sources.list(tenant));
  return Promise.all(sources.map((source) => sourceHealth(store, tenant, source.id, clock)));
}

/** Health of every destination of the tenant (the core's per-destination health). */
export async function allDestinationHealth(store: Store, tenant: string): Promise<DestinationHealth[]> {
  const destinations = await store.transaction((r) => r.destinations.list(tenant));
  return Promise.all(destinations.map((destination) => destinationHealth(store, tenant, destination.id)));
}
