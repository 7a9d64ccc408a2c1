import type { DeliveryEvent } from '../delivery-event';
import { alertDescription } from './incident-text';

/** `POST /v2/alert_events/http/{alert_source_config_id}` body. */
export interface AlertEventBody {
  title: string;
  description?: string;
  deduplication_key: string;
  status: 'firing' | 'resolved';
  metadata: Record<string, unknown>;
  source_url?: string;
}

/** A resolved incident resolves the alert; anything else keeps it firing. The incident identity dedupes. */
export function alertEventBody(event: DeliveryEvent): AlertEventBody {
  const { incident } = event;
  const canonical = incident.canonical;
  const resolved = canonical.status === 'resolved';
  const identity = { canonical_id: incident.id, source_system: canonical.provider, external_id: canonical.externalId };
  const metadata: Record<string, unknown> = resolved
    ? { ...identity, resolved_at: new Date(incident.resolvedAt ?? incident.updatedAt).toISOString() }
    : {
        ...identity,
        severity: canonical.severity,
        affected_systems: canonical.affectedSystems,
        regulatory_references: canonical.regulatoryRefs,
        detected_at: canonical.detectedAt,
      };
  if (canonical.labels && Object.keys(canonical.labels).length > 0) metadata.labels = canonical.labels;
  const body: AlertEventBody = { title: canonical.title, deduplication_key: canonical.dedupeKey, status: resolved ? 'resolved' : 'firing', metadata };
  if (!resolved) body.description = alertDescription(canonical);
  if (canonical.sourceUrl) body.source_url = canonical.sourceUrl;
  return body;
}
