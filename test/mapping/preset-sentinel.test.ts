import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

const INCIDENT_URL = (id: string) =>
  `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/rg-secops-prod/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod/providers/Microsoft.SecurityInsights/Incidents/${id}`;

describe('sentinel preset', () => {
  it('maps the Logic App incident trigger body', async () => {
    const incident = onlyIncident(await normalise({ provider: 'sentinel' }, fixture('sentinel.incident')));
    expect(incident).toEqual({
      provider: 'sentinel',
      instance: 'law-sentinel-prod',
      externalId: '73e01a99-5cd7-4139-a149-9f2736ff2ab5',
      dedupeKey: 'sentinel:law-sentinel-prod:73e01a99-5cd7-4139-a149-9f2736ff2ab5',
      title: 'Multiple failed sign-ins followed by success for privileged account',
      description:
        'Identifies a brute-force pattern against a Global Administrator account followed by a successful sign-in from an unfamiliar location.',
      detectedAt: '2024-06-10T08:14:07.000Z',
      eventTime: '2024-06-10T08:14:07.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['aad-signin'],
      regulatoryRefs: [],
      sourceUrl: INCIDENT_URL('73e01a99-5cd7-4139-a149-9f2736ff2ab5'),
      labels: {
        incidentNumber: '3177',
        tactics: 'CredentialAccess, InitialAccess',
        sentinelLabels: 'nis2-reportable-candidate',
        firstActivityAt: '2024-06-10T07:58:41.000Z',
      },
      raw: { severity: 'High', status: 'New' },
    });
  });

  it('maps a closed incident sent as a bare resource (workspace from the resource id, 7-digit fractions)', async () => {
    const incident = onlyIncident(await normalise({ provider: 'sentinel' }, fixture('sentinel.incident.closed.bare_resource')));
    expect(incident).toEqual({
      provider: 'sentinel',
      instance: 'law-sentinel-prod',
      externalId: '9b2c4d6e-8f01-4a23-b456-7890abcdef12',
      dedupeKey: 'sentinel:law-sentinel-prod:9b2c4d6e-8f01-4a23-b456-7890abcdef12',
      title: 'Mass download by a single user',
      detectedAt: '2024-06-09T21:45:31.872Z',
      eventTime: '2024-06-10T07:30:00.000Z',
      severity: 'medium',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      sourceUrl: INCIDENT_URL('9b2c4d6e-8f01-4a23-b456-7890abcdef12'),
      labels: { incidentNumber: '3170', tactics: 'Exfiltration', classification: 'TruePositive', firstActivityAt: '2024-06-09T21:12:00.000Z' },
      raw: { severity: 'Medium', status: 'Closed', classification: 'TruePositive' },
    });
  });

  it('maps an active informational incident; regulatory refs from the incident labels', async () => {
    const config = { provider: 'sentinel' as const, regulatoryRefsPath: 'object.properties.labels[labelType = "User"].labelName' };
    const incident = onlyIncident(await normalise(config, fixture('sentinel.incident.active_informational')));
    expect(incident).toEqual({
      provider: 'sentinel',
      instance: 'law-sentinel-prod',
      externalId: '1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b',
      dedupeKey: 'sentinel:law-sentinel-prod:1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b',
      title: 'Rare application consent',
      detectedAt: '2024-06-10T06:05:12.000Z',
      severity: 'info',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['wks-0042', 'wks-0043'],
      regulatoryRefs: ['dora'],
      sourceUrl: INCIDENT_URL('1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b'),
      labels: { incidentNumber: '3180', sentinelLabels: 'dora, identity', firstActivityAt: '2024-06-10T06:00:00.000Z' },
      raw: { severity: 'Informational', status: 'Active' },
    });
  });

  describe('alert trigger and SecurityIncident rows', () => {
    it('maps the "Microsoft Sentinel alert" trigger body (a SecurityAlert)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'sentinel' }, fixture('sentinel.alert_trigger')));
      expect(incident).toEqual({
        provider: 'sentinel',
        instance: '8c2f1e5a-9b7d-4c3e-a1f0-2d4b6e8a0c1f',
        externalId: '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        dedupeKey: 'sentinel:8c2f1e5a-9b7d-4c3e-a1f0-2d4b6e8a0c1f:5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        title: 'Suspicious number of resource creation or deployment activities',
        description: 'Identifies when a rare number of VM creations or deployments occurred in a subscription.',
        detectedAt: '2024-06-10T08:02:00.000Z',
        eventTime: '2024-06-10T08:21:34.123Z',
        severity: 'medium',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: ['build-agent-07'],
        regulatoryRefs: [],
        labels: {
          alertType: 'd0cfe6b2-9ac0-4464-9919-dccaee2e48c0_361dd1e3-1c11-491e-82a3-bb2e44ac36ba',
          productName: 'Azure Sentinel',
          providerAlertId: '9f1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3e',
          tactics: 'Impact',
          kind: 'alert',
        },
        raw: { severity: 'Medium', status: 'New' },
      });
    });

    it.each([
      ['InProgress', 'acknowledged'],
      ['Resolved', 'resolved'],
      ['Dismissed', 'resolved'],
    ])('reads alert status %s as %s, with entities sent as a JSON string', async (status, expected) => {
      const payload = fixture('sentinel.alert_trigger') as Record<string, unknown>;
      const incident = onlyIncident(await normalise({ provider: 'sentinel' }, { ...payload, Status: status, Entities: JSON.stringify(payload.Entities), Severity: 'HIGH' }));
      expect(incident).toMatchObject({ status: expected, severity: 'high', affectedSystems: ['build-agent-07'] });
    });

    it('maps a SecurityIncident row onto the same dedupe key as the incident trigger', async () => {
      const row = onlyIncident(await normalise({ provider: 'sentinel' }, fixture('sentinel.security_incident_row')));
      const trigger = onlyIncident(await normalise({ provider: 'sentinel' }, fixture('sentinel.incident')));
      expect(row.dedupeKey).toBe(trigger.dedupeKey);
      expect(row).toMatchObject({
        title: 'Multiple failed sign-ins followed by success for privileged account',
        detectedAt: '2024-06-10T08:14:07.000Z',
        severity: 'high',
        status: 'acknowledged',
        detectedAtSource: 'payload',
        labels: { incidentNumber: '3177', sentinelLabels: 'nis2-reportable-candidate', firstActivityAt: '2024-06-10T07:58:41.000Z' },
        raw: { severity: 'High', status: 'Active' },
      });
    });

    it('reads severity and status in any case', async () => {
      const payload = fixture('sentinel.incident') as { object: { properties: Record<string, unknown> } };
      payload.object.properties.severity = 'informational';
      payload.object.properties.status = 'CLOSED';
      expect(onlyIncident(await normalise({ provider: 'sentinel' }, payload))).toMatchObject({ severity: 'info', status: 'resolved' });
    });
  });

  it('maps a Log Analytics SecurityAlert row (AlertName, AlertSeverity, StartTime, Entities as text)', async () => {
    const row = {
      TenantId: 'e00daaf8-d6a4-4410-b50b-f5ef61c9cb45',
      TimeGenerated: '2024-06-10 09:12:07.122000+00:00',
      DisplayName: 'Rare admin consent to an OAuth app',
      AlertName: 'Rare admin consent to an OAuth app',
      AlertSeverity: 'Low',
      Description: '',
      ProviderName: 'ASI Scheduled Alerts',
      VendorName: 'Microsoft',
      SystemAlertId: '6dfa10b7-7523-ecb0-646d-28ccf9c06772',
      AlertType: 'e00daaf8-d6a4-4410-b50b-f5ef61c9cb45_9c4be437-b74c-440c-aa09-764367744a23',
      StartTime: '2024-06-10 08:33:37.792000+00:00',
      Status: 'New',
      Entities: '[{"$id":"2","HostName":"aad-app-gw","Type":"host"}]',
      Type: 'SecurityAlert',
    };
    const incident = onlyIncident(await normalise({ provider: 'sentinel' }, row));
    expect(incident).toMatchObject({
      externalId: '6dfa10b7-7523-ecb0-646d-28ccf9c06772',
      title: 'Rare admin consent to an OAuth app',
      detectedAt: '2024-06-10T08:33:37.792Z',
      severity: 'low',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['aad-app-gw'],
      raw: { severity: 'Low', status: 'New' },
    });
  });
});
