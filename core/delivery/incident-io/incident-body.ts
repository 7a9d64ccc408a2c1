import type { CanonicalIncident } from '../../incident/canonical-incident';
import type { IncidentIoIncidentDestination } from '../destination-config';
import { customFieldEntries, type CustomFieldEntry } from './custom-field-entries';
import { incidentSummary } from './incident-text';

/** `POST /v2/incidents` body. */
export interface CreateIncidentBody {
  idempotency_key: string;
  visibility: 'public' | 'private';
  mode: string;
  name: string;
  summary: string;
  severity_id: string;
  incident_type_id?: string;
  incident_status_id?: string;
  custom_field_entries?: CustomFieldEntry[];
  incident_timestamp_values?: Array<{ incident_timestamp_id: string; value: string }>;
}

/** `POST /v2/incidents/{id}/actions/edit` body. */
export interface EditIncidentBody {
  incident: {
    name: string;
    summary: string;
    severity_id: string;
    incident_status_id?: string;
    custom_field_entries?: CustomFieldEntry[];
  };
  notify_incident_channel: boolean;
}

/**
 * The incident identity is the idempotency key, so however often (and from however many workers) the
 * creation is retried or replayed, incident.io opens one incident.
 */
export function createIncidentBody(incident: CanonicalIncident, destination: IncidentIoIncidentDestination, severityId: string): CreateIncidentBody {
  const body: CreateIncidentBody = {
    idempotency_key: incident.dedupeKey,
    visibility: destination.visibility,
    mode: destination.mode,
    name: incident.title,
    summary: incidentSummary(incident),
    severity_id: severityId,
  };
  if (destination.incidentTypeId) body.incident_type_id = destination.incidentTypeId;
  const statusId = destination.statusIds[incident.status];
  if (statusId) body.incident_status_id = statusId;
  const entries = customFieldEntries(incident, destination.customFields);
  if (entries.length > 0) body.custom_field_entries = entries;
  if (destination.detectedAtTimestampId) {
    body.incident_timestamp_values = [{ incident_timestamp_id: destination.detectedAtTimestampId, value: incident.detectedAt }];
  }
  return body;
}

/** Name, summary, severity, status (when mapped) and custom fields as they are now. */
export function editIncidentBody(incident: CanonicalIncident, destination: IncidentIoIncidentDestination, severityId: string): EditIncidentBody {
  const changes: EditIncidentBody['incident'] = { name: incident.title, summary: incidentSummary(incident), severity_id: severityId };
  const statusId = destination.statusIds[incident.status];
  if (statusId) changes.incident_status_id = statusId;
  const entries = customFieldEntries(incident, destination.customFields);
  if (entries.length > 0) changes.custom_field_entries = entries;
  return { incident: changes, notify_incident_channel: destination.notifyIncidentChannel };
}
