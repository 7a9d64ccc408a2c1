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
      eventTime: '2024-06-10T06:40:12.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
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
      eventTime: '2024-06-10T13:05:40.000Z',
      severity: 'high',
      status: 'resolved',
      detectedAtSource: 'payload',
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
      eventTime: '2024-01-15T22:40:00.000Z',
      severity: 'low',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['app-eu-3'],
      regulatoryRefs: [],
      labels: { triggerId: '23999' },
      raw: { severity: 'Warning', status: '1', acknowledged: 'Yes', updateStatus: '1' },
    });
  });

  describe('update, unexpanded and non-trigger events', () => {
    it('resolves a problem closed manually through an update operation (event_value still 1)', async () => {
      const incident = onlyIncident(await normalise({ provider: 'zabbix' }, fixture('zabbix.webhook.update_closed_manually')));
      expect(incident).toEqual({
        provider: 'zabbix',
        instance: 'zabbix.acme.example',
        externalId: '2346120',
        dedupeKey: 'zabbix:zabbix.acme.example:2346120',
        title: 'Interface eth1: Link down',
        description: 'Noc Operator closed problem at 2024.06.10 08:57:10.\nDecommissioned port.',
        detectedAt: '2024-06-10T07:55:02.000Z',
        eventTime: '2024-06-10T08:57:10.000Z',
        severity: 'medium',
        status: 'resolved',
        detectedAtSource: 'payload',
        affectedSystems: ['sw-core-2'],
        regulatoryRefs: [],
        sourceUrl: 'https://zabbix.acme.example/tr_events.php?triggerid=24011&eventid=2346120',
        labels: { scope: 'availability', hostIp: '10.20.1.2', triggerId: '24011' },
        raw: { severity: 'Average', status: '1', acknowledged: 'yes', updateStatus: '1' },
      });
    });

    it('falls back to the severity name when {EVENT.NSEVERITY} did not resolve, and reads a numeric event_value', async () => {
      const incident = onlyIncident(await normalise({ provider: 'zabbix' }, fixture('zabbix.webhook.unexpanded_severity')));
      expect(incident).toEqual({
        provider: 'zabbix',
        externalId: '2346200',
        dedupeKey: 'zabbix::2346200',
        title: 'Certificate for api.acme.example expires in 7 days',
        detectedAt: '2024-06-10T09:00:00.000Z',
        eventTime: '2024-06-10T09:00:00.000Z',
        severity: 'low',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: ['web-cert-probe'],
        regulatoryRefs: [],
        labels: { triggerId: '24100' },
        raw: { severity: 'Warning', status: '1', acknowledged: 'No', updateStatus: '0' },
      });
    });

    it('quarantines on severity when both severity macros are unexpanded', async () => {
      const payload = { ...(fixture('zabbix.webhook.unexpanded_severity') as Record<string, unknown>), event_severity: '{EVENT.SEVERITY}' };
      const result = await normalise({ provider: 'zabbix' }, payload);
      expect(result.quarantined[0].reasons).toEqual([{ field: 'severity', message: 'is required' }]);
    });

    it('quarantines on detectedAt (not a half-built date) when {EVENT.DATE} is unexpanded', async () => {
      const payload = { ...(fixture('zabbix.webhook.unexpanded_severity') as Record<string, unknown>), event_date: '{EVENT.DATE}' };
      const result = await normalise({ provider: 'zabbix' }, payload);
      expect(result.quarantined[0].reasons).toEqual([{ field: 'detectedAt', message: 'is required' }]);
    });

    it('yields nothing for discovery and autoregistration events', async () => {
      expect(await normalise({ provider: 'zabbix' }, fixture('zabbix.webhook.discovery'))).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
      const autoregistration = { ...(fixture('zabbix.webhook.discovery') as Record<string, unknown>), event_source: '2' };
      expect(await normalise({ provider: 'zabbix' }, autoregistration)).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
    });

    it('keeps problem, acknowledgement and recovery of one problem on one dedupe key, numeric values included', async () => {
      const problem = fixture('zabbix.webhook') as Record<string, unknown>;
      const recovery = { ...problem, event_value: 0, event_recovery_date: '2024.06.10', event_recovery_time: '11:00:00' };
      const acked = { ...problem, event_update_status: '1', event_update_action: 'acknowledged', event_ack_status: 'YES' };
      const [p, a, r] = await Promise.all([problem, acked, recovery].map(async (payload) => onlyIncident(await normalise({ provider: 'zabbix' }, payload))));
      expect(new Set([p.dedupeKey, a.dedupeKey, r.dedupeKey]).size).toBe(1);
      expect([a.status, r.status]).toEqual(['acknowledged', 'resolved']);
    });
  });
});
