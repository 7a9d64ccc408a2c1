import { describe, expect, it } from 'vitest';
import { incidentIoDestinationSchema, type IncidentIoDestination } from '../../core/delivery';
import { deliveryEventFor } from '../../core/delivery/delivery-event';
import { alertEventBody } from '../../core/delivery/incident-io/alert-event-body';
import { createIncidentBody, editIncidentBody } from '../../core/delivery/incident-io/incident-body';
import { incidentIoFixture } from './support/fixtures';
import { INCIDENT_TARGET } from './support/destinations';
import { incidentRecord, nextVersion, RESOLVED_AT } from './support/incidents';

function incidentTarget() {
  const destination = incidentIoDestinationSchema.parse(INCIDENT_TARGET) as Extract<IncidentIoDestination, { target: 'incident' }>;
  return destination;
}

describe('incident.io request bodies match the contract examples', () => {
  it('fires an alert event', () => {
    const event = deliveryEventFor(incidentRecord(), 'incident.created', 0);
    expect(alertEventBody(event)).toEqual(incidentIoFixture('alert_event.firing.request'));
  });

  it('resolves the alert when the incident is resolved', () => {
    const resolved = nextVersion(incidentRecord(), { status: 'resolved' }, RESOLVED_AT);
    expect(alertEventBody(deliveryEventFor(resolved, 'incident.resolved', 0))).toEqual(incidentIoFixture('alert_event.resolved.request'));
  });

  it('creates an incident with a deterministic idempotency key, mapped severity, custom fields and timestamps', () => {
    expect(createIncidentBody(incidentRecord().canonical, incidentTarget(), '01FH5TZRWMNAFB0DZ23FD1TV96')).toEqual(incidentIoFixture('create_incident.request'));
  });

  it('edits severity, summary, status and custom fields', () => {
    const edit = editIncidentBody({ ...incidentRecord().canonical, status: 'resolved', severity: 'high' }, incidentTarget(), '01FH5TZRWMNAFB0DZ23FD1TV95');
    const example = incidentIoFixture<{ incident: Record<string, unknown>; notify_incident_channel: boolean }>('edit_incident.request');
    expect(edit.notify_incident_channel).toBe(true);
    expect(edit.incident).toMatchObject({ severity_id: example.incident.severity_id, incident_status_id: example.incident.incident_status_id });
    expect(edit.incident.custom_field_entries?.[0]).toEqual((example.incident.custom_field_entries as unknown[])[0]);
  });
});
