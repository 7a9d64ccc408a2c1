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
      severity: 'high',
      status: 'open',
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
      severity: 'medium',
      status: 'resolved',
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
      affectedSystems: ['wks-0042', 'wks-0043'],
      regulatoryRefs: ['dora'],
      sourceUrl: INCIDENT_URL('1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b'),
      labels: { incidentNumber: '3180', sentinelLabels: 'dora, identity', firstActivityAt: '2024-06-10T06:00:00.000Z' },
      raw: { severity: 'Informational', status: 'Active' },
    });
  });
});
