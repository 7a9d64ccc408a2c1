import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('zabbix preset', () => {
  it('maps a problem event; local date and time read in the source zone; unresolved recovery macros are absent', async () => {
    const incident = onlyIncident(await normalise({ provider: 'zabbix', timezone: 'Europe/Berlin' }, fixture('zabbix.webhook')));
    expect(incident).toEqual({
      provider: 'zabbix',
      instance: 'zabbix.acme.example',
      externalId: '2345678',
      dedupeKey: 'zabbix:zabbix.acme.example:2345678',
      title: 'High CPU utilization (over 90% for 5m) on db-eu-1',
      description:
        'Problem started at 08:40:12 on 2024.06.10\nProblem name: High CPU utilization (over 90% for 5m)\nHost: db-eu-1\nSeverity: High\nOperational data: 97.3 %\nOriginal problem ID: 2345678',
      detectedAt: '2024-06-10T06:40:12.000Z',
      severity: 'high',
      status: 'open',
      affectedSystems: ['db-eu-1'],
      regulatoryRefs: [],
      sourceUrl: 'https://zabbix.acme.example/tr_events.php?triggerid=23456&eventid=2345678',
      labels: { service: 'payments', scope: 'performance', hostIp: '10.20.0.11', triggerId: '23456' },
      raw: { severity: 'High', status: '1', updateStatus: '0' },
    });
  });

  it('reads the same local time as UTC when the source sets no zone', async () => {
    const incident = onlyIncident(await normalise({ provider: 'zabbix' }, fixture('zabbix.webhook')));
    expect(incident.detectedAt).toBe('2024-06-10T08:40:12.000Z');
  });

  it('maps a recovery event onto the problem id; regulatory refs from a tag', async () => {
    const config = { provider: 'zabbix' as const, timezone: 'America/New_York', regulatoryRefsPath: '$parseJson(event_tags_json)[tag = "regulation"].value' };
    const incident = onlyIncident(await normalise(config, fixture('zabbix.webhook.recovery')));
    expect(incident).toEqual({
      provider: 'zabbix',
      instance: 'zabbix.acme.example',
      externalId: '2345678',
      dedupeKey: 'zabbix:zabbix.acme.example:2345678',
      title: 'High CPU utilization (over 90% for 5m) on db-eu-1',
      description: 'Problem has been resolved at 09:05:40 on 2024.06.10\nProblem name: High CPU utilization (over 90% for 5m)\nProblem duration: 25m 28s\nHost: db-eu-1',
      detectedAt: '2024-06-10T12:40:12.000Z',
      severity: 'high',
      status: 'resolved',
      affectedSystems: ['db-eu-1'],
      regulatoryRefs: ['DORA'],
      sourceUrl: 'https://zabbix.acme.example/tr_events.php?triggerid=23456&eventid=2345678',
      labels: { service: 'payments', regulation: 'DORA', hostIp: '10.20.0.11', triggerId: '23456', recoveredAt: '2024-06-10T13:05:40.000Z' },
      raw: { severity: 'High', status: '0', acknowledged: 'No', updateStatus: '0' },
    });
  });

  it('maps an acknowledgement update in winter time; *UNKNOWN* and unresolved macros count as absent', async () => {
    const incident = onlyIncident(await normalise({ provider: 'zabbix', timezone: 'Europe/Berlin' }, fixture('zabbix.webhook.acknowledged_update')));
    expect(incident).toEqual({
      provider: 'zabbix',
      externalId: '2345990',
      dedupeKey: 'zabbix::2345990',
      title: 'Free disk space is less than 10% on volume /var',
      description: '{USER.FULLNAME} acknowledged problem at 2024.01.15 23:40:00.',
      detectedAt: '2024-01-15T22:30:00.000Z',
      severity: 'low',
      status: 'acknowledged',
      affectedSystems: ['app-eu-3'],
      regulatoryRefs: [],
      labels: { triggerId: '23999' },
      raw: { severity: 'Warning', status: '1', acknowledged: 'Yes', updateStatus: '1' },
    });
  });
});
