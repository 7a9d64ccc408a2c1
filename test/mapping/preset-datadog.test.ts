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
      eventTime: '2024-06-10T08:39:00.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
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
      eventTime: '2024-06-10T09:39:00.000Z',
      severity: 'high',
      status: 'resolved',
      detectedAtSource: 'payload',
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
      eventTime: '2024-06-10T09:40:00.000Z',
      severity: 'medium',
      status: 'open',
      detectedAtSource: 'payload',
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

  describe('alert transitions', () => {
    it('keeps Triggered → Re-Triggered → Recovered of one alert cycle on one dedupe key', async () => {
      const triggered = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.triggered')));
      const retriggered = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.re_triggered')));
      const recovered = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.recovered')));
      expect(new Set([triggered.dedupeKey, retriggered.dedupeKey, recovered.dedupeKey])).toEqual(new Set(['datadog:321987:7485920193847561234']));
      expect([triggered.status, retriggered.status, recovered.status]).toEqual(['open', 'open', 'resolved']);
      // The priority can change during a cycle (P2 → P1 on renotification); severity follows it.
      expect([triggered.severity, retriggered.severity]).toEqual(['high', 'critical']);
      expect(triggered).toMatchObject({ detectedAt: '2024-06-10T08:59:00.000Z', raw: { severity: 'P2', status: 'Triggered' } });
    });

    it('maps No Data as open with the monitor priority', async () => {
      const incident = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.custom_payload.no_data')));
      expect(incident).toMatchObject({
        externalId: '7485920193847580000',
        title: 'heartbeat missing from ledger-sync',
        severity: 'medium',
        status: 'open',
        affectedSystems: ['ledger-sync'],
        raw: { severity: 'P3', status: 'No Data' },
      });
    });

    it('maps a default-payload recovery from its title prefix', async () => {
      const incident = onlyIncident(await normalise({ provider: 'datadog' }, fixture('datadog.webhook_default.recovered')));
      expect(incident).toMatchObject({ externalId: '7485920193847590009', title: 'disk usage high', severity: 'info', status: 'resolved', detectedAt: '2024-06-10T10:40:00.000Z' });
    });

    it.each([
      ['error', 'open', 'high'],
      ['warning', 'open', 'medium'],
      ['success', 'resolved', 'info'],
    ])('falls back to alert_type %s when a custom payload sends no transition', async (alertType, status, severity) => {
      const { alert_transition: _t, alert_priority: _p, ...payload } = fixture('datadog.custom_payload.triggered') as Record<string, unknown>;
      const incident = onlyIncident(await normalise({ provider: 'datadog' }, { ...payload, title: 'payments-api 5xx error rate high', alert_type: alertType }));
      expect(incident).toMatchObject({ status, severity });
    });

    it('reads transitions and priorities in any case and uses aggreg_key when no cycle key is sent', async () => {
      const { alert_cycle_key: _k, ...payload } = fixture('datadog.custom_payload.triggered') as Record<string, unknown>;
      const incident = onlyIncident(await normalise({ provider: 'datadog' }, { ...payload, aggreg_key: 'b8c1c7e7d0a0c0b6', alert_transition: 're-triggered', alert_priority: 'p4' }));
      expect(incident).toMatchObject({ externalId: 'b8c1c7e7d0a0c0b6', status: 'open', severity: 'low' });
    });
  });
});
