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
      severity: 'critical',
      status: 'open',
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
      severity: 'low',
      status: 'acknowledged',
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
      severity: 'high',
      status: 'resolved',
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
});
