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
      severity: 'critical',
      status: 'acknowledged',
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
      severity: 'high',
      status: 'resolved',
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
      affectedSystems: ['ledger-sync'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.service-now.com/incident.do?sys_id=0c9a7e5b1b8a4e50a1d2c3b4e5f6aa01',
      labels: { number: 'INC0010240', category: 'database', assignmentGroup: 'Core Banking Ops' },
      raw: { severity: '3 - Moderate', status: 'On Hold', impact: '2 - Medium', urgency: '2 - Medium' },
    });
  });
});
