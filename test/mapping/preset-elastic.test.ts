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
      severity: 'high',
      status: 'open',
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
          severity: 'critical',
          status: 'acknowledged',
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
          severity: 'low',
          status: 'resolved',
          affectedSystems: [],
          regulatoryRefs: [],
          sourceUrl: 'https://kibana.acme.example/app/security/alerts',
          labels: { ruleId: 'acme-ransomware-file-ext', originalTime: '2024-06-10T09:14:10.000Z' },
          raw: { severity: 'low', status: 'closed' },
        },
      },
    ]);
  });
});
