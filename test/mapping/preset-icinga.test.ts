import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

// The bodies are what the NotificationCommand in docs/providers/icinga.md sends (test/docs runs its script).
const map = async (name: string) => onlyIncident(await normalise({ provider: 'icinga' }, fixture(name)));

describe('icinga preset', () => {
  it('maps a service PROBLEM: fractional last-state-change seconds, WARNING is medium', async () => {
    expect(await map('icinga.service_problem')).toEqual({
      provider: 'icinga',
      externalId: 'app-3.example.net!postgres-connections',
      dedupeKey: 'icinga::app-3.example.net!postgres-connections',
      title: 'postgres-connections on app-3.example.net is WARNING',
      description: 'WARNING - 182 of 200 connections used',
      detectedAt: '2024-06-10T05:55:00.412Z',
      eventTime: '2024-06-10T06:00:00.000Z',
      severity: 'medium',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['app-3.example.net'],
      regulatoryRefs: [],
      labels: { notificationType: 'PROBLEM', service: 'postgres-connections' },
      raw: { severity: 'WARNING', status: 'PROBLEM', kind: 'service' },
    });
  });

  it('maps a host RECOVERY (UP) as resolved under the host identity', async () => {
    expect(await map('icinga.host_recovery')).toMatchObject({ externalId: 'app-3.example.net', title: 'Host app-3.example.net is UP', status: 'resolved', severity: 'info' });
  });

  it("Icinga's own type names: DOWNTIMECANCELLED and FLAPPINGEND follow the current state", async () => {
    const removed = await map('icinga.service_downtimecancelled');
    expect(removed).toMatchObject({ status: 'resolved', labels: { notificationType: 'DOWNTIMECANCELLED', author: 'icingaadmin' } });
    expect(removed.description).toContain('Comment by icingaadmin: Maintenance finished early');
    expect(await map('icinga.service_flappingend')).toMatchObject({ status: 'open', severity: 'critical' });
  });

  it('runtime macros Icinga could not resolve arrive literally and count as absent', async () => {
    const payload = { ...(fixture('icinga.service_problem') as Record<string, unknown>), service: '$service.name$', since: '$service.last_state_change$' };
    expect(onlyIncident(await normalise({ provider: 'icinga' }, payload))).toMatchObject({ externalId: 'app-3.example.net', detectedAt: '2024-06-10T06:00:00.000Z' });
  });

  it('shares the mapping with nagios but not the identity namespace', async () => {
    const nagios = onlyIncident(await normalise({ provider: 'nagios' }, fixture('icinga.service_problem')));
    const icinga = await map('icinga.service_problem');
    expect(nagios.dedupeKey).not.toBe(icinga.dedupeKey);
    expect({ ...nagios, provider: 'icinga', dedupeKey: icinga.dedupeKey }).toEqual(icinga);
  });
});
