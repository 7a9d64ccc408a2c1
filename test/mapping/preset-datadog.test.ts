import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('datadog preset', () => {
  it('maps the default payload: state and severity from the title prefix', async () => {
    const incident = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.webhook_default')));
    expect(incident).toEqual({
      provider: 'datadog',
      instance: '321987',
      externalId: '7485920193847561234',
      dedupeKey: 'datadog:321987:7485920193847561234',
      title: 'payments-api 5xx error rate high',
      description: '5xx error rate on payments-api in eu-west-1 is 27.4% (threshold 25%).',
      detectedAt: '2024-06-10T08:39:00.000Z',
      severity: 'high',
      status: 'open',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      labels: {
        eventType: 'query_alert_monitor',
        org: 'Acme Ltd',
        scope: 'region:eu-west-1,service:payments-api',
        eventTitle: '[Triggered on {region:eu-west-1,service:payments-api}] payments-api 5xx error rate high',
      },
      raw: { severity: 'Triggered', status: 'Triggered' },
    });
  });

  it('maps a recovery from the documented custom payload onto the alert cycle key', async () => {
    const incident = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.recovered')));
    expect(incident).toEqual({
      provider: 'datadog',
      instance: '321987',
      externalId: '7485920193847561234',
      dedupeKey: 'datadog:321987:7485920193847561234',
      title: 'payments-api 5xx error rate high on region:eu-west-1,service:payments-api',
      description: '5xx error rate recovered to 0.8%.',
      detectedAt: '2024-06-10T09:39:00.000Z',
      severity: 'high',
      status: 'resolved',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      sourceUrl: 'https://app.datadoghq.eu/event/event?id=7485920193847569999',
      labels: {
        monitorId: '1234567',
        eventType: 'query_alert_monitor',
        alertType: 'success',
        org: 'Acme Ltd',
        scope: 'region:eu-west-1,service:payments-api',
        eventTitle: '[P2] [Recovered on {region:eu-west-1,service:payments-api}] payments-api 5xx error rate high',
      },
      raw: { severity: 'P2', status: 'Recovered' },
    });
  });

  it('treats unresolved $VARIABLES as absent: no priority falls back to the transition, no link, no tags', async () => {
    const incident = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.unresolved_variables')));
    expect(incident).toEqual({
      provider: 'datadog',
      instance: '321987',
      externalId: '7485920193847570000',
      dedupeKey: 'datadog:321987:7485920193847570000',
      title: 'disk usage high',
      description: 'Disk at 86%',
      detectedAt: '2024-06-10T09:40:00.000Z',
      severity: 'medium',
      status: 'open',
      affectedSystems: ['db-eu-1'],
      regulatoryRefs: [],
      labels: {
        monitorId: '7654321',
        eventType: 'metric_alert_monitor',
        alertType: 'warning',
        org: 'Acme Ltd',
        scope: 'host:db-eu-1',
        eventTitle: '[Warn on {host:db-eu-1}] disk usage high',
      },
      raw: { severity: 'Warn', status: 'Warn' },
    });
  });
});
