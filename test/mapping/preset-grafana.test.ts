import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('grafana preset', () => {
  it('maps the alerting webhook', async () => {
    const incident = onlyIncident(await normalise({ provider: 'grafana' }, fixture('grafana.alerting_webhook')));
    expect(incident).toEqual({
      provider: 'grafana',
      instance: 'grafana.acme.example',
      externalId: '7a3c9e1f0b2d4c6e',
      dedupeKey: 'grafana:grafana.acme.example:7a3c9e1f0b2d4c6e',
      title: 'payments-api 5xx > 25% in eu-west-1',
      description: '5xx ratio is 27.4% over 5m',
      detectedAt: '2024-06-10T08:37:30.000Z',
      eventTime: '2024-06-10T08:37:30.000Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      sourceUrl: 'https://grafana.acme.example/d/payments-overview?from=1718005050000&orgId=1&to=1718008680000&viewPanel=4',
      labels: {
        alertname: 'PaymentsAPIHigh5xx',
        grafana_folder: 'Payments',
        region: 'eu-west-1',
        service: 'payments-api',
        severity: 'critical',
        team: 'payments',
        runbookUrl: 'https://runbooks.acme.example/payments/5xx',
      },
      raw: { severity: 'critical', status: 'firing' },
    });
  });

  it('maps a mixed batch one candidate per alert; an alert without a severity label is quarantined on its own', async () => {
    const result = await normalise({ provider: 'grafana' }, fixture('grafana.alerting_webhook.batch_mixed'));
    expect(result.candidates).toEqual([
      {
        index: 0,
        incident: {
          provider: 'grafana',
          instance: 'grafana.acme.example',
          externalId: '0f1e2d3c4b5a6978',
          dedupeKey: 'grafana:grafana.acme.example:0f1e2d3c4b5a6978',
          title: 'ledger-db disk 97% full',
          detectedAt: '2024-06-10T07:00:00.000Z',
          eventTime: '2024-06-10T07:00:00.000Z',
          severity: 'critical',
          status: 'open',
          detectedAtSource: 'payload',
          affectedSystems: ['ledger-db'],
          regulatoryRefs: [],
          sourceUrl: 'https://grafana.acme.example/alerting/grafana/aa11/view?orgId=1',
          labels: { alertname: 'DiskAlmostFull', instance: 'db-eu-1:9100', service: 'ledger-db', severity: 'critical' },
          raw: { severity: 'critical', status: 'firing' },
        },
      },
      {
        index: 1,
        incident: {
          provider: 'grafana',
          instance: 'grafana.acme.example',
          externalId: '1a2b3c4d5e6f7081',
          dedupeKey: 'grafana:grafana.acme.example:1a2b3c4d5e6f7081',
          title: 'ledger-db disk 85% full',
          description: 'Resolved after log rotation.',
          detectedAt: '2024-06-10T06:10:00.000Z',
          eventTime: '2024-06-10T06:55:00.000Z',
          severity: 'medium',
          status: 'resolved',
          detectedAtSource: 'payload',
          affectedSystems: ['ledger-db'],
          regulatoryRefs: [],
          sourceUrl: 'https://grafana.acme.example/alerting/grafana/aa11/view?orgId=1',
          labels: { alertname: 'DiskAlmostFull', instance: 'db-eu-2:9100', service: 'ledger-db', severity: 'warning', resolvedAt: '2024-06-10T06:55:00.000Z' },
          raw: { severity: 'warning', status: 'resolved' },
        },
      },
    ]);
    expect(result.quarantined).toEqual([
      {
        index: 2,
        reasons: [{ field: 'severity', message: 'is required' }],
        partial: {
          provider: 'grafana',
          instance: 'grafana.acme.example',
          externalId: '2b3c4d5e6f708192',
          dedupeKey: 'grafana:grafana.acme.example:2b3c4d5e6f708192',
          title: 'DatasourceNoData',
          detectedAt: '2024-06-10T07:01:00.000Z',
          eventTime: '2024-06-10T07:01:00.000Z',
          status: 'open',
          detectedAtSource: 'payload',
          affectedSystems: [],
          sourceUrl: 'https://grafana.acme.example/alerting/grafana/aa11/view?orgId=1',
          labels: { alertname: 'DatasourceNoData', grafana_folder: 'Ledger', rulename: 'DiskAlmostFull' },
          raw: { status: 'firing' },
        },
      },
    ]);
  });

  describe('legacy dashboard alerting and older unified payloads', () => {
    it('maps a legacy alerting notification (ruleId/ruleName/state, severity from tags)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'grafana' }, fixture('grafana.legacy_alerting.alerting')));
      expect(incident).toEqual({
        provider: 'grafana',
        instance: 'grafana-old.acme.example',
        externalId: 'rule-37',
        dedupeKey: 'grafana:grafana-old.acme.example:rule-37',
        title: 'DB volume usage alert',
        description: 'Disk usage above 90% on a database volume.',
        // The legacy payload carries no time: the received time stands in.
        detectedAt: '2024-06-10T12:00:00.000Z',
        severity: 'high',
        status: 'open',
        detectedAtSource: 'received',
        affectedSystems: ['ledger-db'],
        regulatoryRefs: [],
        sourceUrl: 'https://grafana-old.acme.example/d/db-overview/databases?tab=alert&viewPanel=4&orgId=1',
        labels: { severity: 'High', service: 'ledger-db', dashboardId: '12', panelId: '4', orgId: '1', metrics: 'db-eu-1:/var' },
        raw: { severity: 'High', status: 'alerting' },
      });
    });

    it('resolves the same rule on a legacy ok notification', async () => {
      const alerting = onlyIncident(await normalise({ provider: 'grafana' }, fixture('grafana.legacy_alerting.alerting')));
      const ok = onlyIncident(await normalise({ provider: 'grafana' }, fixture('grafana.legacy_alerting.ok')));
      expect(ok.dedupeKey).toBe(alerting.dedupeKey);
      expect(ok).toMatchObject({ status: 'resolved', raw: { status: 'ok' } });
    });

    it('opens on no_data and yields nothing for pending or paused', async () => {
      const payload = fixture('grafana.legacy_alerting.alerting') as Record<string, unknown>;
      expect(onlyIncident(await normalise({ provider: 'grafana' }, { ...payload, state: 'no_data' })).status).toBe('open');
      for (const state of ['pending', 'paused']) {
        expect(await normalise({ provider: 'grafana' }, { ...payload, state })).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
      }
    });

    it('identifies an alert without a fingerprint by its sorted labels and skips empty URLs', async () => {
      const incident = onlyIncident(await normalise({ provider: 'grafana' }, fixture('grafana.alerting_webhook.no_fingerprint_empty_urls')));
      expect(incident).toEqual({
        provider: 'grafana',
        instance: 'grafana8.acme.example',
        externalId: 'alertname=LedgerLag,service=ledger-sync,severity=Warning',
        dedupeKey: 'grafana:grafana8.acme.example:alertname=LedgerLag,service=ledger-sync,severity=Warning',
        title: 'Ledger sync lag above 5 minutes',
        detectedAt: '2024-06-10T07:12:00.000Z',
        eventTime: '2024-06-10T07:12:00.000Z',
        severity: 'medium',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: ['ledger-sync'],
        regulatoryRefs: [],
        labels: { alertname: 'LedgerLag', severity: 'Warning', service: 'ledger-sync' },
        raw: { severity: 'Warning', status: 'firing' },
      });
    });

    it('yields nothing for an empty alerts list and quarantines a body that is no Grafana webhook', async () => {
      expect(await normalise({ provider: 'grafana' }, { receiver: 'x', status: 'firing', alerts: [] })).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
      const result = await normalise({ provider: 'grafana' }, { hello: 'world' });
      expect(result.quarantined[0].reasons[0].message).toContain('not a Grafana alerting webhook');
    });
  });
});
