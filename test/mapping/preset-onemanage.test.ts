import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

const bug = () => fixture('onemanage.bug_report_created') as Record<string, unknown>;
const log = () => fixture('onemanage.critical_log') as Record<string, unknown>;

describe('onemanage preset', () => {
  it('maps a BUG_REPORT_CREATED body: identity appId + id, epoch-millisecond createdAt', async () => {
    expect(onlyIncident(await normalise({ provider: 'onemanage' }, bug()))).toEqual({
      provider: 'onemanage',
      externalId: 'bug:60d5eb12a9b8c77d2e3f4a10:60d5ec49f1a2c34b8c0e1a77',
      dedupeKey: 'onemanage::bug:60d5eb12a9b8c77d2e3f4a10:60d5ec49f1a2c34b8c0e1a77',
      title: 'App Crash on Startup',
      detectedAt: '2021-06-25T12:12:03.000Z',
      eventTime: '2021-06-25T12:12:03.000Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      labels: { kind: 'BUG_REPORT_CREATED', appId: '60d5eb12a9b8c77d2e3f4a10', bugId: '60d5ec49f1a2c34b8c0e1a77' },
      raw: { severity: 'CRITICAL', status: 'OPEN', kind: 'BUG_REPORT_CREATED' },
    });
  });

  it('maps a CRITICAL_LOG body, told apart by its shape: title from the message, severity from the level', async () => {
    expect(onlyIncident(await normalise({ provider: 'onemanage' }, log()))).toEqual({
      provider: 'onemanage',
      externalId: 'log:user_login_failed',
      dedupeKey: 'onemanage::log:user_login_failed',
      title: 'NullPointerException in UserService',
      description: 'Event: user_login_failed\nLevel: ERROR',
      detectedAt: '2021-06-25T12:12:03.000Z',
      eventTime: '2021-06-25T12:12:03.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      labels: { kind: 'CRITICAL_LOG', event: 'user_login_failed', logId: 'log_123e4567e89b' },
      raw: { severity: 'ERROR', status: 'open', kind: 'CRITICAL_LOG' },
    });
  });

  it('repeated logs of the same event are one incident: a new logId keeps the identity and no tracked field; FATAL escalates it', async () => {
    const first = onlyIncident(await normalise({ provider: 'onemanage' }, log()));
    const again = onlyIncident(await normalise({ provider: 'onemanage' }, { ...log(), logId: 'log_9f0e', timestamp: 1624623183000 }));
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect({ title: again.title, description: again.description, severity: again.severity, status: again.status }).toEqual({
      title: first.title,
      description: first.description,
      severity: first.severity,
      status: first.status,
    });
    expect(again.labels?.logId).toBe('log_9f0e');
    const fatal = onlyIncident(await normalise({ provider: 'onemanage' }, { ...log(), logId: 'log_a1', level: 'FATAL' }));
    expect(fatal).toMatchObject({ dedupeKey: first.dedupeKey, severity: 'critical', raw: { severity: 'FATAL' } });
    const other = onlyIncident(await normalise({ provider: 'onemanage' }, { ...log(), event: 'payment_declined' }));
    expect(other.dedupeKey).not.toBe(first.dedupeKey);
  });

  it('a log without an event stands alone under its logId', async () => {
    const { event: _event, ...withoutEvent } = log();
    expect(onlyIncident(await normalise({ provider: 'onemanage' }, withoutEvent))).toMatchObject({ externalId: 'log-id:log_123e4567e89b', description: 'Level: ERROR' });
  });

  it.each([
    ['OPEN', 'open'],
    ['IN_PROGRESS', 'acknowledged'],
    ['resolved', 'resolved'],
    ['CLOSED', 'resolved'],
  ])('reads bug status %s as %s, and epoch milliseconds sent as text', async (status, expected) => {
    const incident = onlyIncident(await normalise({ provider: 'onemanage' }, { ...bug(), status, createdAt: '1624623123000' }));
    expect(incident).toMatchObject({ status: expected, detectedAt: '2021-06-25T12:12:03.000Z' });
  });

  it('quarantines a log level outside the table and a bug report without an id, naming the field', async () => {
    const warn = await normalise({ provider: 'onemanage' }, { ...log(), level: 'WARN' });
    expect(warn.quarantined[0].reasons).toEqual([{ field: 'severity', message: expect.stringMatching(/^"WARN" is not in the severity table \(known: .*fatal/) }]);
    const { id: _id, ...noId } = bug();
    const missing = await normalise({ provider: 'onemanage' }, noId);
    expect(missing.quarantined[0].reasons).toEqual([{ field: 'externalId', message: 'is required' }]);
    const noTime = await normalise({ provider: 'onemanage' }, { ...bug(), createdAt: null });
    expect(noTime.quarantined[0].reasons).toEqual([{ field: 'detectedAt', message: 'is required' }]);
  });

  it('quarantines a body of neither shape with one mapping reason', async () => {
    const result = await normalise({ provider: 'onemanage' }, { hello: 'world' });
    expect(result.quarantined).toEqual([{ index: 0, partial: null, reasons: [{ field: 'mapping', message: expect.stringContaining('not a OneManage webhook') }] }]);
  });
});
