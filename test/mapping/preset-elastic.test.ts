import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('elastic preset', () => {
  it('maps a security alert webhook with flattened alert fields', async () => {
    const incident = onlyIncident(await normalise({ provider: 'elastic' }, fixture('elastic.security_alert_webhook')));
    expect(incident).toEqual({
      provider: 'elastic',
      instance: 'kibana.acme.example',
      externalId: 'c8d6f1a2e3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
      dedupeKey: 'elastic:kibana.acme.example:c8d6f1a2e3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
      title: 'Multiple Logon Failure Followed by Logon Success',
      description:
        'authentication event with source 203.0.113.47 by j.admin on vpn-gw-02 created high alert Multiple Logon Failure Followed by Logon Success.',
      detectedAt: '2024-06-10T08:44:58.201Z',
      eventTime: '2024-06-10T08:44:58.201Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['vpn-gw-02'],
      regulatoryRefs: [],
      sourceUrl:
        'https://kibana.acme.example/app/security/detections/rules/id/3b1f6a52-6f1e-4c9b-9a0d-2f3e4d5c6b7a?timerange=(global:(linkTo:!(timeline),timerange:(from:1718006400000,kind:absolute,to:1718009100000)))',
      labels: {
        ruleId: 'acme-multi-logon-failure-success',
        riskScore: '73',
        user: 'j.admin',
        sourceIp: '203.0.113.47',
        tags: 'nis2, identity',
        originalTime: '2024-06-10T08:43:12.000Z',
      },
      raw: { severity: 'high', status: 'open' },
    });
  });

  it('maps a batch of nested-field alerts one per alert, applying the severity filter and a tag path for regulatory refs', async () => {
    const config = { provider: 'elastic' as const, severityFilter: ['critical' as const, 'high' as const], regulatoryRefsPath: 'tags[$ in ["dora", "nis2"]]' };
    const result = await normalise(config, fixture('elastic.security_alerts.batch_nested'));
    expect(result.quarantined).toEqual([]);
    expect(result.candidates).toEqual([
      {
        index: 0,
        incident: {
          provider: 'elastic',
          instance: 'kibana.acme.example',
          externalId: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
          dedupeKey: 'elastic:kibana.acme.example:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
          title: 'Ransomware file extension written',
          description: 'file event with process encryptor.exe on fs-01 created critical alert Ransomware file extension written.',
          detectedAt: '2024-06-10T09:14:31.002Z',
          eventTime: '2024-06-10T09:14:31.002Z',
          severity: 'critical',
          status: 'acknowledged',
          detectedAtSource: 'payload',
          affectedSystems: ['fs-01'],
          regulatoryRefs: ['dora'],
          sourceUrl: 'https://kibana.acme.example/app/security/alerts',
          labels: { ruleId: 'acme-ransomware-file-ext', riskScore: '99', tags: 'dora, ransomware', originalTime: '2024-06-10T09:14:02.000Z' },
          raw: { severity: 'critical', status: 'acknowledged' },
        },
      },
    ]);
    expect(result.filtered).toEqual([
      {
        index: 1,
        reason: "severity low is not in this source's severity filter (critical, high)",
        incident: {
          provider: 'elastic',
          instance: 'kibana.acme.example',
          externalId: '1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a',
          dedupeKey: 'elastic:kibana.acme.example:1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a',
          title: 'Ransomware file extension written',
          detectedAt: '2024-06-10T09:14:35.418Z',
          eventTime: '2024-06-10T09:14:35.418Z',
          severity: 'low',
          status: 'resolved',
          detectedAtSource: 'payload',
          affectedSystems: [],
          regulatoryRefs: [],
          sourceUrl: 'https://kibana.acme.example/app/security/alerts',
          labels: { ruleId: 'acme-ransomware-file-ext', originalTime: '2024-06-10T09:14:10.000Z' },
          raw: { severity: 'low', status: 'closed' },
        },
      },
    ]);
  });

  describe('other template and alert shapes', () => {
    it('maps 7.x legacy signals (signal.rule.*, signal.status, the document _id)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'elastic' }, fixture('elastic.legacy_signals_7x')));
      expect(incident).toEqual({
        provider: 'elastic',
        instance: 'kibana-legacy.acme.example:5601',
        externalId: '4f1d8e2b7c9a0b3d6e5f4a1c2b3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d',
        dedupeKey: 'elastic:kibana-legacy.acme.example:5601:4f1d8e2b7c9a0b3d6e5f4a1c2b3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d',
        title: 'RDP brute force from the internet',
        description: 'authentication event with source 198.51.100.61 by administrator on rdp-jump-01 created medium alert RDP brute force from the internet.',
        detectedAt: '2024-06-10T09:10:02.113Z',
        eventTime: '2024-06-10T09:10:02.113Z',
        severity: 'medium',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: ['rdp-jump-01'],
        regulatoryRefs: [],
        sourceUrl: 'https://kibana-legacy.acme.example:5601/app/security/detections/rules/id/9c2e7a10-2f4b-11ec-8d3d-0242ac130003',
        labels: { ruleId: 'acme-rdp-bruteforce', riskScore: '47', user: 'administrator', sourceIp: '198.51.100.61', tags: 'nis2, remote-access', originalTime: '2024-06-10T09:08:47.000Z' },
        raw: { severity: 'medium', status: 'open' },
      });
    });

    it('maps a template that sends the whole context object (alerts, rule and results_link under context)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'elastic' }, fixture('elastic.context_object_template')));
      expect(incident).toMatchObject({
        externalId: 'e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3',
        instance: 'kibana.acme.example',
        severity: 'high',
        status: 'acknowledged',
        sourceUrl: 'https://kibana.acme.example/app/security/detections/rules/id/3b1f6a52-6f1e-4c9b-9a0d-2f3e4d5c6b7a',
        labels: expect.objectContaining({ ruleId: 'acme-multi-logon-failure-success', riskScore: '73' }),
      });
    });

    it('runs per-alert overrides against context.alerts too', async () => {
      const config = { provider: 'elastic' as const, customFields: { host: 'host.name' } };
      const incident = onlyIncident(await normalise(config, fixture('elastic.context_object_template')));
      expect(incident.labels).toMatchObject({ host: 'vpn-gw-01' });
    });

    it('yields nothing for an empty alerts list (a summary run with no new alerts)', async () => {
      const result = await normalise({ provider: 'elastic' }, fixture('elastic.security_alert_webhook.empty_alerts'));
      expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
    });

    it('quarantines a body without alerts, saying what the template must include', async () => {
      const { alerts: _alerts, ...withoutAlerts } = fixture('elastic.security_alert_webhook') as Record<string, unknown>;
      const result = await normalise({ provider: 'elastic' }, withoutAlerts);
      expect(result.quarantined[0].reasons[0]).toMatchObject({ field: 'mapping', message: expect.stringContaining('must include an "alerts" field rendered from context.alerts') });
    });

    it('reads workflow status and severity in any case (closed alerts resolve)', async () => {
      const payload = fixture('elastic.security_alert_webhook') as { alerts: Array<Record<string, unknown>> };
      payload.alerts[0]['kibana.alert.workflow_status'] = 'Closed';
      payload.alerts[0]['kibana.alert.severity'] = 'CRITICAL';
      expect(onlyIncident(await normalise({ provider: 'elastic' }, payload))).toMatchObject({ status: 'resolved', severity: 'critical' });
    });
  });
});
