import type { CanonicalIncident } from '../incident/canonical-incident';
import type { IncidentRecord } from '../store/records';

export const DELIVERY_EVENT_KINDS = ['incident.created', 'incident.updated', 'incident.resolved'] as const;
export type DeliveryEventKind = (typeof DELIVERY_EVENT_KINDS)[number];

/**
 * What a delivery carries: a snapshot of the incident at one version, taken when the delivery was enqueued,
 * so later changes to the incident never alter what an earlier delivery sends.
 */
export interface DeliveryEvent {
  kind: DeliveryEventKind;
  /** When the change was enqueued (epoch ms); stable across retries, so the body bytes are too. */
  occurredAt: number;
  incident: IncidentSnapshot;
}

export interface IncidentSnapshot {
  id: string;
  tenant: string;
  dedupeKey: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  canonical: CanonicalIncident;
}

/** Version 1 is the creation; a resolved incident is a resolution; anything else an update. */
export function eventKindFor(incident: IncidentRecord): DeliveryEventKind {
  if (incident.version <= 1) return 'incident.created';
  return incident.canonical.status === 'resolved' ? 'incident.resolved' : 'incident.updated';
}

export function deliveryEventFor(incident: IncidentRecord, kind: DeliveryEventKind, now: number): DeliveryEvent {
  return {
    kind,
    occurredAt: now,
    incident: {
      id: incident.id,
      tenant: incident.tenant,
      dedupeKey: incident.dedupeKey,
      version: incident.version,
      createdAt: incident.createdAt,
      updatedAt: incident.updatedAt,
      resolvedAt: incident.resolvedAt,
      canonical: incident.canonical,
    },
  };
}
