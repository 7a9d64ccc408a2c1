import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('servicenow preset', () => {
  it('maps a Table API incident record', async () => {
    const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.incident')));
    expect(incident).toEqual({
      provider: 'servicenow',
      instance: 'acme.service-now.com',
      externalId: 'b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      dedupeKey: 'servicenow:acme.service-now.com:b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      title: 'Payment API returning 503 for EU customers',
      description: 'Monitoring alert from Datadog monitor 1234567; customers in EU unable to complete card payments.',
      detectedAt: '2024-06-10T08:41:07.000Z',
      eventTime: '2024-06-10T08:45:19.000Z',
      severity: 'critical',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['3a1c0e4f1b0a4e50a1d2c3b4e5f6a7b8', '26da329f0a0a0bb400f69d8159bc753d'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.service-now.com/incident.do?sys_id=b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      labels: { number: 'INC0010234', category: 'software', assignmentGroup: '8a5055c9c61122780043563ef53438e3', correlationId: 'dd-monitor-1234567' },
      raw: { severity: '1', status: '2', impact: '1', urgency: '1' },
    });
  });

  it('maps the documented business-rule body for a resolved incident', async () => {
    const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.business_rule.resolved')));
    expect(incident).toEqual({
      provider: 'servicenow',
      instance: 'acme.service-now.com',
      externalId: 'b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      dedupeKey: 'servicenow:acme.service-now.com:b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      title: 'Payment API returning 503 for EU customers',
      description: 'Monitoring alert from Datadog monitor 1234567; customers in EU unable to complete card payments.',
      detectedAt: '2024-06-10T08:41:07.000Z',
      eventTime: '2024-06-10T11:02:44.000Z',
      severity: 'high',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api', 'Card Payments'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.service-now.com/incident.do?sys_id=b7c1e3f21b8a4e50a1d2c3b4e5f60718',
      labels: { number: 'INC0010234', category: 'software', assignmentGroup: 'Payments Platform' },
      raw: { severity: '2', status: '6', impact: '2', urgency: '1' },
    });
  });

  it('maps a record fetched with sysparm_display_value=all: stored values for codes and dates, names for references', async () => {
    const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.table_api.display_value_all')));
    expect(incident).toEqual({
      provider: 'servicenow',
      instance: 'acme.service-now.com',
      externalId: '0c9a7e5b1b8a4e50a1d2c3b4e5f6aa01',
      dedupeKey: 'servicenow:acme.service-now.com:0c9a7e5b1b8a4e50a1d2c3b4e5f6aa01',
      title: 'Ledger sync lagging behind core banking',
      detectedAt: '2024-06-10T08:15:00.000Z',
      severity: 'medium',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['ledger-sync'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.service-now.com/incident.do?sys_id=0c9a7e5b1b8a4e50a1d2c3b4e5f6aa01',
      labels: { number: 'INC0010240', category: 'database', assignmentGroup: 'Core Banking Ops' },
      raw: { severity: '3 - Moderate', status: 'On Hold', impact: '2 - Medium', urgency: '2 - Medium' },
    });
  });

  describe('more record shapes', () => {
    it('maps a sysparm_display_value=true record (display strings only, references without value)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.table_api.display_value_true')));
      expect(incident).toEqual({
        provider: 'servicenow',
        instance: 'acme.service-now.com',
        externalId: '3f8d2c1a1b8a4e50a1d2c3b4e5f6bb02',
        dedupeKey: 'servicenow:acme.service-now.com:3f8d2c1a1b8a4e50a1d2c3b4e5f6bb02',
        title: 'Branch VPN concentrator down in Lyon',
        description: 'Both tunnels to LYO-BR-01 down since 09:58.',
        // Display dates are in the API user's zone; the preset cannot know it and reads them as UTC.
        detectedAt: '2024-06-10T10:02:11.000Z',
        severity: 'critical',
        status: 'acknowledged',
        detectedAtSource: 'payload',
        affectedSystems: ['lyo-br-01-vpn', 'Branch Connectivity'],
        regulatoryRefs: [],
        // The display class name "Incident" is not a table name, so the link falls back to incident.do.
        sourceUrl: 'https://acme.service-now.com/incident.do?sys_id=3f8d2c1a1b8a4e50a1d2c3b4e5f6bb02',
        labels: { number: 'INC0010251', category: 'Network', assignmentGroup: 'Network Operations' },
        raw: { severity: '1 - Critical', status: 'In Progress', impact: '1 - High', urgency: '1 - High' },
      });
    });

    it('maps numeric codes, incident_state only and sys_created_on (a canceled incident resolves)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.outbound_rest.numeric_codes')));
      expect(incident).toMatchObject({
        externalId: '9e4b7a6c1b8a4e50a1d2c3b4e5f6cc03',
        dedupeKey: 'servicenow:acme.service-now.com:9e4b7a6c1b8a4e50a1d2c3b4e5f6cc03',
        detectedAt: '2024-06-10T08:05:40.000Z',
        severity: 'low',
        status: 'resolved',
        detectedAtSource: 'payload',
        raw: { severity: '4', status: '8', impact: '3', urgency: '3' },
      });
    });

    it('treats outbound REST message variables that did not resolve as absent', async () => {
      const incident = onlyIncident(await normalise({ provider: 'servicenow' }, fixture('servicenow.outbound_rest.unresolved_variables')));
      expect(incident.description).toBeUndefined();
      expect(incident.affectedSystems).toEqual(['Regulatory Reporting']);
      expect(incident.labels).toEqual({ number: 'INC0010270' });
      expect(incident).toMatchObject({ severity: 'high', status: 'open', detectedAt: '2024-06-10T07:30:00.000Z' });
    });

    it.each([
      ['4', 'acknowledged'],
      ['5', 'acknowledged'],
      ['Awaiting User Info', 'acknowledged'],
      ['ACTIVE', 'acknowledged'],
      ['closed', 'resolved'],
      ['Cancelled', 'resolved'],
    ])('reads state %s as %s', async (state, status) => {
      const payload = { ...(fixture('servicenow.business_rule.resolved') as object), state };
      expect(onlyIncident(await normalise({ provider: 'servicenow' }, payload)).status).toBe(status);
    });

    it('quarantines an unknown state, naming the field and the value', async () => {
      const payload = { ...(fixture('servicenow.business_rule.resolved') as object), state: '-5' };
      const result = await normalise({ provider: 'servicenow' }, payload);
      expect(result.quarantined[0].reasons).toEqual([{ field: 'status', message: expect.stringContaining('"-5" is not in the status table') }]);
    });
  });
});
