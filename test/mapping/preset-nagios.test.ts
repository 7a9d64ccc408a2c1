import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

// The bodies are what the notification script in docs/providers/nagios.md sends (test/docs runs that script).
const map = async (name: string) => onlyIncident(await normalise({ provider: 'nagios' }, fixture(name)));

describe('nagios preset', () => {
  it('maps a service PROBLEM: identity host + service, severity from the state, detected at the last state change', async () => {
    expect(await map('nagios.service_problem')).toEqual({
      provider: 'nagios',
      externalId: 'web-1!HTTP',
      dedupeKey: 'nagios::web-1!HTTP',
      title: 'HTTP on web-1 is CRITICAL',
      description: 'HTTP CRITICAL: HTTP/1.1 503 Service Unavailable - 412 bytes in 0.012 second response time',
      detectedAt: '2024-06-10T05:55:30.000Z',
      eventTime: '2024-06-10T06:00:00.000Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['web-1'],
      regulatoryRefs: [],
      labels: { notificationType: 'PROBLEM', service: 'HTTP' },
      raw: { severity: 'CRITICAL', status: 'PROBLEM', kind: 'service' },
    });
  });

  it('an ACKNOWLEDGEMENT and the RECOVERY land on the same incident as the problem', async () => {
    const problem = await map('nagios.service_problem');
    const ack = await map('nagios.service_acknowledgement');
    const recovery = await map('nagios.service_recovery');
    expect(ack).toMatchObject({ dedupeKey: problem.dedupeKey, status: 'acknowledged', severity: 'critical', labels: { author: 'nagiosadmin' } });
    expect(ack.description).toContain('Comment by nagiosadmin: Looking into the load balancer');
    expect(recovery).toMatchObject({ dedupeKey: problem.dedupeKey, status: 'resolved', severity: 'info', eventTime: '2024-06-10T06:15:00.000Z' });
  });

  it('maps a host notification: identity the host alone, DOWN is critical', async () => {
    expect(await map('nagios.host_down')).toMatchObject({ externalId: 'db-2', title: 'Host db-2 is DOWN', severity: 'critical', status: 'open', raw: { kind: 'host' } });
  });

  it('DOWNTIMESTART acknowledges; macros that did not expand count as absent (detected at the notification time)', async () => {
    const incident = await map('nagios.host_downtimestart.unexpanded');
    expect(incident).toMatchObject({ externalId: 'db-2', status: 'acknowledged', detectedAt: '2024-06-10T06:30:00.000Z', eventTime: '2024-06-10T06:30:00.000Z' });
    expect(incident.labels).toEqual({ notificationType: 'DOWNTIMESTART' });
  });

  it.each([
    ['FLAPPINGSTART', 'WARNING', 'open'],
    ['FLAPPINGSTOP', 'WARNING', 'open'],
    ['FLAPPINGSTOP', 'OK', 'resolved'],
    ['FLAPPINGDISABLED', 'OK', 'resolved'],
    ['DOWNTIMEEND', 'CRITICAL', 'open'],
    ['DOWNTIMECANCELLED', 'OK', 'resolved'],
    ['CUSTOM', 'UNKNOWN', 'open'],
    ['problem', 'warning', 'open'],
  ])('%s with state %s is %s', async (type, state, status) => {
    const payload = { ...(fixture('nagios.service_flappingstop') as Record<string, unknown>), type, state };
    expect(onlyIncident(await normalise({ provider: 'nagios' }, payload)).status).toBe(status);
  });

  it('maps UNREACHABLE, WARNING and UNKNOWN states through the severity table', async () => {
    const base = fixture('nagios.host_down') as Record<string, unknown>;
    const severityOf = async (state: string) => onlyIncident(await normalise({ provider: 'nagios' }, { ...base, state })).severity;
    expect([await severityOf('UNREACHABLE'), await severityOf('WARNING'), await severityOf('UNKNOWN'), await severityOf('UP')]).toEqual(['high', 'medium', 'medium', 'info']);
  });

  it('quarantines an unknown notification type and state, a notification without a host, and a body of another shape', async () => {
    const base = fixture('nagios.service_problem') as Record<string, unknown>;
    const odd = await normalise({ provider: 'nagios' }, { ...base, type: 'SNOOZE', state: 'PENDING' });
    expect(odd.quarantined[0].reasons.map((reason) => reason.field)).toEqual(['severity', 'status']);
    expect(odd.quarantined[0].reasons[1].message).toMatch(/^"SNOOZE" is not in the status table/);
    const hostless = await normalise({ provider: 'nagios' }, { ...base, host: '$HOSTNAME$' });
    expect(hostless.quarantined[0].reasons).toEqual([
      { field: 'externalId', message: 'is required' },
      { field: 'title', message: 'is required' },
    ]);
    const other = await normalise({ provider: 'nagios' }, { alerts: [] });
    expect(other.quarantined[0].reasons[0]).toMatchObject({ field: 'mapping', message: expect.stringContaining('not a monitoring notification') });
  });

  it('a notification without any time is quarantined on detectedAt, never silently given the receipt time', async () => {
    const { timet: _t, since: _s, ...timeless } = fixture('nagios.service_problem') as Record<string, unknown>;
    const result = await normalise({ provider: 'nagios' }, timeless);
    expect(result.quarantined[0].reasons).toEqual([{ field: 'detectedAt', message: 'is required' }]);
  });
});
