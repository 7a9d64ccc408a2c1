import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('alertmanager preset', () => {
  it('maps a firing webhook (payload version 4)', async () => {
    const incident = onlyIncident(await normalise({ provider: 'alertmanager' }, fixture('alertmanager.webhook_v4.firing')));
    expect(incident).toEqual({
      provider: 'alertmanager',
      instance: 'alertmanager.acme.example',
      externalId: 'c47a1e0f6b9d2e13',
      dedupeKey: 'alertmanager:alertmanager.acme.example:c47a1e0f6b9d2e13',
      title: 'payments-api 5xx ratio > 25%',
      description: '5xx ratio is 27.4% over the last 5 minutes.',
      detectedAt: '2024-06-10T08:37:30.123Z',
      eventTime: '2024-06-10T08:37:30.123Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      sourceUrl:
        'https://prometheus.acme.example/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1',
      labels: {
        alertname: 'PaymentsAPIHigh5xx',
        cluster: 'prod-eu-1',
        namespace: 'payments',
        service: 'payments-api',
        severity: 'critical',
        runbookUrl: 'https://runbooks.acme.example/payments/5xx',
      },
      raw: { severity: 'critical', status: 'firing' },
    });
  });

  it('maps a resolved batch one per alert; the severity filter records the info alert as filtered', async () => {
    const config = { provider: 'alertmanager' as const, severityFilter: ['critical' as const, 'high' as const, 'medium' as const] };
    const result = await normalise(config, fixture('alertmanager.webhook_v4.resolved_batch'));
    expect(result.quarantined).toEqual([]);
    expect(result.candidates).toEqual([
      {
        index: 0,
        incident: {
          provider: 'alertmanager',
          instance: 'alertmanager.monitoring.svc:9093',
          externalId: '9f8e7d6c5b4a3921',
          dedupeKey: 'alertmanager:alertmanager.monitoring.svc:9093:9f8e7d6c5b4a3921',
          title: 'settlement consumer lag > 10k',
          detectedAt: '2024-06-10T07:45:12.551Z',
          eventTime: '2024-06-10T08:20:12.551Z',
          severity: 'medium',
          status: 'resolved',
          detectedAtSource: 'payload',
          affectedSystems: ['kafka-exporter'],
          regulatoryRefs: [],
          sourceUrl: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=kafka_consumergroup_lag%3E10000',
          labels: { alertname: 'KafkaConsumerLag', job: 'kafka-exporter', consumergroup: 'settlement', severity: 'warning', resolvedAt: '2024-06-10T08:20:12.551Z' },
          raw: { severity: 'warning', status: 'resolved' },
        },
      },
    ]);
    expect(result.filtered).toEqual([
      {
        index: 1,
        reason: "severity info is not in this source's severity filter (critical, high, medium)",
        incident: {
          provider: 'alertmanager',
          instance: 'alertmanager.monitoring.svc:9093',
          externalId: '8e7d6c5b4a392110',
          dedupeKey: 'alertmanager:alertmanager.monitoring.svc:9093:8e7d6c5b4a392110',
          title: 'KafkaConsumerLag',
          detectedAt: '2024-06-10T07:46:00.000Z',
          eventTime: '2024-06-10T08:21:00.000Z',
          severity: 'info',
          status: 'resolved',
          detectedAtSource: 'payload',
          affectedSystems: ['kafka-exporter'],
          regulatoryRefs: [],
          sourceUrl: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=kafka_consumergroup_lag%3E10000',
          labels: { alertname: 'KafkaConsumerLag', job: 'kafka-exporter', consumergroup: 'ledger', severity: 'info', resolvedAt: '2024-06-10T08:21:00.000Z' },
          raw: { severity: 'info', status: 'resolved' },
        },
      },
    ]);
  });

  describe('relayed and truncated groups', () => {
    it('maps each alert of a truncated Loki-ruler group, dropping empty or relative generator URLs instead of quarantining', async () => {
      const result = await normalise({ provider: 'alertmanager' }, fixture('alertmanager.webhook_v4.loki_ruler_truncated'));
      expect(result.quarantined).toEqual([]);
      expect(result.candidates.map((c) => c.incident)).toEqual([
        expect.objectContaining({ externalId: 'c0ffee12ab34cd56', severity: 'critical', status: 'open', detectedAt: '2024-06-10T09:20:41.882Z', affectedSystems: ['loki-ruler'] }),
        expect.objectContaining({ externalId: 'd00d1234ef567890', severity: 'critical', status: 'open' }),
      ]);
      expect(result.candidates.every((c) => c.incident.sourceUrl === undefined)).toBe(true);
    });

    it('gives a repeated or resolved notification of the same alert the same dedupe key', async () => {
      const firing = fixture('alertmanager.webhook_v4.loki_ruler_truncated') as { alerts: Array<Record<string, unknown>>; status: string };
      const first = await normalise({ provider: 'alertmanager' }, firing);
      firing.status = 'resolved';
      firing.alerts[0] = { ...firing.alerts[0], status: 'resolved', endsAt: '2024-06-10T09:41:00Z' };
      const second = await normalise({ provider: 'alertmanager' }, firing);
      expect(second.candidates[0].incident).toMatchObject({ dedupeKey: first.candidates[0].incident.dedupeKey, status: 'resolved', labels: expect.objectContaining({ resolvedAt: '2024-06-10T09:41:00.000Z' }) });
    });

    it('falls back to the sorted label set when an alert has no fingerprint', async () => {
      const payload = fixture('alertmanager.webhook_v4.loki_ruler_truncated') as { alerts: Array<Record<string, unknown>> };
      delete payload.alerts[0].fingerprint;
      const result = await normalise({ provider: 'alertmanager' }, payload);
      expect(result.candidates[0].incident.externalId).toBe('alertname=AuthErrorsInLogs,app=auth-gateway,job=loki-ruler,severity=CRITICAL');
    });

    it('quarantines a body without alerts[], naming it', async () => {
      const result = await normalise({ provider: 'alertmanager' }, { version: '4', status: 'firing' });
      expect(result.quarantined[0].reasons[0].message).toContain('alerts[] is missing');
    });
  });
});
