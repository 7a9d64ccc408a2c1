import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('pagerduty preset', () => {
  it('maps incident.triggered', async () => {
    const incident = onlyIncident(await normalise({ provider: 'pagerduty' }, fixture('pagerduty.incident.triggered')));
    expect(incident).toEqual({
      provider: 'pagerduty',
      instance: 'acme.pagerduty.com',
      externalId: 'Q2F4XKQ8LZ9ABC',
      dedupeKey: 'pagerduty:acme.pagerduty.com:Q2F4XKQ8LZ9ABC',
      title: '[payments-api] 5xx error rate > 25% in eu-west-1',
      detectedAt: '2024-06-10T08:38:41.000Z',
      eventTime: '2024-06-10T08:38:41.512Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api (prod)'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.pagerduty.com/incidents/Q2F4XKQ8LZ9ABC',
      labels: {
        incidentNumber: '4812',
        incidentKey: '3f1c2b7e9a4d4c3f8e2a1b0c9d8e7f60',
        urgency: 'high',
        escalationPolicy: 'Payments – Primary',
        teams: 'Payments Platform',
        eventType: 'incident.triggered',
      },
      raw: { severity: 'P1', status: 'triggered', priority: 'P1', urgency: 'high', event: 'incident.triggered' },
    });
  });

  it('maps incident.acknowledged with a null priority from the urgency', async () => {
    const incident = onlyIncident(await normalise({ provider: 'pagerduty' }, fixture('pagerduty.incident.acknowledged.null_priority')));
    expect(incident).toEqual({
      provider: 'pagerduty',
      instance: 'acme.pagerduty.com',
      externalId: 'Q3H7LMN2RT8XYZ',
      dedupeKey: 'pagerduty:acme.pagerduty.com:Q3H7LMN2RT8XYZ',
      title: 'Nightly export job slow',
      detectedAt: '2024-06-10T08:47:15.000Z',
      eventTime: '2024-06-10T08:52:03.114Z',
      severity: 'low',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['reporting-batch'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.pagerduty.com/incidents/Q3H7LMN2RT8XYZ',
      labels: {
        incidentNumber: '4813',
        incidentKey: 'b6e4f1c2a3d44e5f8a9b0c1d2e3f4a5b',
        urgency: 'low',
        escalationPolicy: 'Reporting – Business hours',
        eventType: 'incident.acknowledged',
      },
      raw: { severity: 'low', status: 'acknowledged', urgency: 'low', event: 'incident.acknowledged' },
    });
  });

  it('maps incident.resolved onto the same dedupe key as the trigger', async () => {
    const incident = onlyIncident(await normalise({ provider: 'pagerduty' }, fixture('pagerduty.incident.resolved')));
    expect(incident).toEqual({
      provider: 'pagerduty',
      instance: 'acme.pagerduty.com',
      externalId: 'Q2F4XKQ8LZ9ABC',
      dedupeKey: 'pagerduty:acme.pagerduty.com:Q2F4XKQ8LZ9ABC',
      title: '[payments-api] 5xx error rate > 25% in eu-west-1',
      detectedAt: '2024-06-10T08:38:41.000Z',
      eventTime: '2024-06-10T09:41:12.000Z',
      severity: 'high',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api (prod)'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.pagerduty.com/incidents/Q2F4XKQ8LZ9ABC',
      labels: {
        incidentNumber: '4812',
        incidentKey: '3f1c2b7e9a4d4c3f8e2a1b0c9d8e7f60',
        urgency: 'high',
        escalationPolicy: 'Payments – Primary',
        teams: 'Payments Platform, SRE',
        eventType: 'incident.resolved',
      },
      raw: { severity: 'P2', status: 'resolved', priority: 'P2', urgency: 'high', event: 'incident.resolved' },
    });
  });

  it('yields nothing for incident.annotated (a note carries no incident state)', async () => {
    const result = await normalise({ provider: 'pagerduty' }, fixture('pagerduty.incident.annotated'));
    expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
  });

  describe('other v3 incident events', () => {
    const TRIGGER_KEY = 'pagerduty:acme.pagerduty.com:Q2F4XKQ8LZ9ABC';

    it('maps incident.priority_updated with the new priority, on the trigger\'s dedupe key', async () => {
      const incident = onlyIncident(await normalise({ provider: 'pagerduty' }, fixture('pagerduty.incident.priority_updated')));
      expect(incident).toMatchObject({
        externalId: 'Q2F4XKQ8LZ9ABC',
        dedupeKey: TRIGGER_KEY,
        severity: 'medium',
        status: 'acknowledged',
        detectedAt: '2024-06-10T08:38:41.000Z',
        labels: expect.objectContaining({ eventType: 'incident.priority_updated' }),
        raw: { severity: 'P3', status: 'acknowledged', priority: 'P3', urgency: 'high', event: 'incident.priority_updated' },
      });
    });

    it.each([
      ['pagerduty.incident.reopened', 'incident.reopened'],
      ['pagerduty.incident.unacknowledged', 'incident.unacknowledged'],
      ['pagerduty.incident.escalated', 'incident.escalated'],
    ])('maps %s (status triggered) back to open on the same dedupe key', async (name, eventType) => {
      const incident = onlyIncident(await normalise({ provider: 'pagerduty' }, fixture(name)));
      expect(incident).toMatchObject({ dedupeKey: TRIGGER_KEY, status: 'open', severity: 'critical', labels: expect.objectContaining({ eventType }) });
    });

    it.each(['pagerduty.incident.responder_added', 'pagerduty.incident.status_update_published', 'pagerduty.service.updated', 'pagerduty.pagey.ping'])(
      'yields nothing for %s (its data is not an incident)',
      async (name) => {
        const result = await normalise({ provider: 'pagerduty' }, fixture(name));
        expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
      },
    );

    it('quarantines a retired v2 webhook body with a reason naming the format', async () => {
      const result = await normalise({ provider: 'pagerduty' }, fixture('pagerduty.webhook_v2.incident_trigger'));
      expect(result.candidates).toEqual([]);
      expect(result.quarantined).toHaveLength(1);
      expect(result.quarantined[0].reasons[0]).toMatchObject({ field: 'mapping', message: expect.stringContaining('v1/v2 webhook (messages[]) is not supported') });
    });

    it('quarantines a body that is not a v3 webhook, naming the missing event object', async () => {
      const result = await normalise({ provider: 'pagerduty' }, { incident: { id: 'Q1' } });
      expect(result.quarantined[0].reasons[0].message).toContain('the body has no event object');
    });

    it('reads custom priority names such as SEV1 and a null priority in any case', async () => {
      const payload = fixture('pagerduty.incident.triggered') as { event: { data: Record<string, unknown> } };
      payload.event.data.priority = { id: 'PPRI9', summary: 'SEV2', type: 'priority_reference' };
      expect(onlyIncident(await normalise({ provider: 'pagerduty' }, payload)).severity).toBe('high');
      payload.event.data.priority = null;
      payload.event.data.urgency = 'HIGH';
      expect(onlyIncident(await normalise({ provider: 'pagerduty' }, payload)).severity).toBe('high');
    });
  });
});
