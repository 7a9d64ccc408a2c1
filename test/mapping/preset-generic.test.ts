import { describe, expect, it } from 'vitest';
import { RECEIVED_AT, fixture, normalise, onlyIncident } from './support';

describe('generic preset', () => {
  it('maps a Standard Webhooks style envelope', async () => {
    const incident = onlyIncident(await normalise({ provider: 'generic' }, fixture('generic.standard_webhooks.incident_created')));
    expect(incident).toEqual({
      provider: 'generic',
      externalId: 'ext-7731',
      dedupeKey: 'generic::ext-7731',
      title: 'Core banking batch delayed > 2h',
      detectedAt: '2024-06-10T06:40:00.000Z',
      eventTime: '2024-06-10T08:45:00.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['core-banking-batch', 'ledger-sync'],
      regulatoryRefs: ['DORA Art.19'],
      sourceUrl: 'https://ops.partner.example/incidents/ext-7731',
      raw: { severity: 'high', status: 'open', type: 'incident.created' },
    });
  });

  it('maps the minimal contract (title, severity, dedup_key): open, detected when received', async () => {
    const incident = onlyIncident(await normalise({ provider: 'generic' }, fixture('generic.minimal')));
    expect(incident).toEqual({
      provider: 'generic',
      externalId: 'recon-2024-06-10',
      dedupeKey: 'generic::recon-2024-06-10',
      title: 'Nightly reconciliation failed',
      detectedAt: RECEIVED_AT.toISOString(),
      severity: 'high',
      status: 'open',
      detectedAtSource: 'received',
      affectedSystems: [],
      regulatoryRefs: [],
      raw: { severity: 'SEV2', status: 'open' },
    });
  });

  it('maps a top-level array: a valid item becomes a candidate, a broken one is quarantined with every reason', async () => {
    const result = await normalise({ provider: 'generic', timezone: '+02:00' }, fixture('generic.batch'));
    expect(result.candidates).toEqual([
      {
        index: 0,
        incident: {
          provider: 'generic',
          instance: 'partner-eu',
          externalId: 'vendor-outage-42',
          dedupeKey: 'generic:partner-eu:vendor-outage-42',
          title: 'Card processor outage',
          description: 'Processor confirmed full recovery.',
          detectedAt: '2024-06-10T05:05:00.000Z',
          severity: 'critical',
          status: 'resolved',
          detectedAtSource: 'payload',
          affectedSystems: ['card-processing'],
          regulatoryRefs: ['DORA Art.19', 'NIS2 Art.23'],
          labels: { vendor: 'ProcessorCo', ticket: '4411' },
          raw: { severity: 'critical', status: 'resolved' },
        },
      },
    ]);
    expect(result.quarantined).toHaveLength(1);
    const [broken] = result.quarantined;
    expect(broken.index).toBe(1);
    expect(broken.reasons.map((reason) => reason.field)).toEqual(['severity', 'title', 'detectedAt']);
    expect(broken.reasons[0].message).toMatch(/^"urgent" is not in the severity table \(known: /);
    expect(broken.reasons.slice(1)).toEqual([
      { field: 'title', message: 'is required' },
      { field: 'detectedAt', message: 'must be an ISO 8601 UTC time ending in Z, got "yesterday"' },
    ]);
  });

  it.each([
    ['trigger', 'WARN', 'open', 'medium'],
    ['Acknowledge', 'Moderate', 'acknowledged', 'medium'],
    ['in progress', 'information', 'acknowledged', 'info'],
    ['RESOLVE', 'sev1', 'resolved', 'critical'],
    ['recovered', 'P4', 'resolved', 'low'],
  ])('reads the common status %s and severity %s in any case', async (status, severity, expectedStatus, expectedSeverity) => {
    const payload = { ...(fixture('generic.minimal') as Record<string, unknown>), status, severity };
    expect(onlyIncident(await normalise({ provider: 'generic' }, payload))).toMatchObject({ status: expectedStatus, severity: expectedSeverity });
  });

  it('quarantines an unknown status, naming the value and the known ones', async () => {
    const payload = { ...(fixture('generic.minimal') as Record<string, unknown>), status: 'snoozed' };
    const result = await normalise({ provider: 'generic' }, payload);
    expect(result.quarantined[0].reasons).toEqual([{ field: 'status', message: expect.stringMatching(/^"snoozed" is not in the status table \(known: .*acknowledged.*\)$/) }]);
  });

  it('maps event_time (read in the source timezone) as the event time, else the envelope timestamp, else none', async () => {
    const minimal = fixture('generic.minimal') as Record<string, unknown>;
    const local = onlyIncident(await normalise({ provider: 'generic', timezone: 'Europe/Berlin' }, { ...minimal, event_time: '2024-06-10 11:00:00' }));
    expect(local.eventTime).toBe('2024-06-10T09:00:00.000Z');
    const enveloped = onlyIncident(await normalise({ provider: 'generic' }, { type: 'incident.resolved', timestamp: '2024-06-10T10:15:00Z', data: { ...minimal, status: 'resolved' } }));
    expect(enveloped.eventTime).toBe('2024-06-10T10:15:00.000Z');
    expect(onlyIncident(await normalise({ provider: 'generic' }, minimal))).not.toHaveProperty('eventTime');
  });

  describe('the event time', () => {
    it('reads createdAt in epoch milliseconds as the payload time, even without an id (the candidate is quarantined on the id only)', async () => {
      const result = await normalise({ provider: 'generic' }, { title: 'App Crash on Startup', severity: 'CRITICAL', createdAt: 1624623123000 });
      expect(result.candidates).toEqual([]);
      expect(result.quarantined[0].reasons).toEqual([{ field: 'externalId', message: 'is required' }]);
      expect(result.quarantined[0].partial).toMatchObject({ detectedAt: '2021-06-25T12:12:03.000Z', detectedAtSource: 'payload', severity: 'critical' });
      const withId = onlyIncident(await normalise({ provider: 'generic' }, { title: 'App Crash on Startup', severity: 'CRITICAL', createdAt: 1624623123000, id: 'crash-1' }));
      expect(withId).toMatchObject({ externalId: 'crash-1', detectedAt: '2021-06-25T12:12:03.000Z', detectedAtSource: 'payload' });
    });

    it.each([
      ['detected_at', '2021-06-25T14:12:03+02:00'],
      ['detectedAt', '2021-06-25T12:12:03Z'],
      ['created_at', 1624623123],
      ['createdAt', '1624623123000'],
      ['timestamp', 1624623123.5],
      ['time', '2021-06-25 12:12:03'],
    ])('reads %s (%s) as the payload time', async (name, value) => {
      const incident = onlyIncident(await normalise({ provider: 'generic' }, { title: 't', severity: 'low', dedup_key: 'k', [name]: value }));
      expect(incident.detectedAt).toMatch(/^2021-06-25T12:12:03\.[05]00Z$/);
      expect(incident.detectedAtSource).toBe('payload');
    });

    it('tells epoch seconds from milliseconds by magnitude: below 10^11 seconds, below 10^14 milliseconds', async () => {
      const at = async (value: number) => onlyIncident(await normalise({ provider: 'generic' }, { title: 't', severity: 'low', dedup_key: 'k', time: value })).detectedAt;
      expect(await at(99_999_999_999)).toBe('5138-11-16T09:46:39.000Z');
      expect(await at(100_000_000_000)).toBe('1973-03-03T09:46:40.000Z');
    });

    it('takes the first name present in the documented order', async () => {
      const payload = { title: 't', severity: 'low', dedup_key: 'k', time: 1, createdAt: 1624623123000, detected_at: '2024-06-10T06:40:00Z' };
      expect(onlyIncident(await normalise({ provider: 'generic' }, payload)).detectedAt).toBe('2024-06-10T06:40:00.000Z');
    });

    it('falls back to the envelope timestamp (sent-at) when the data carries no time', async () => {
      const payload = { type: 'incident.created', timestamp: '2024-06-10T08:45:00Z', data: { id: 'x', title: 't', severity: 'low' } };
      expect(onlyIncident(await normalise({ provider: 'generic' }, payload))).toMatchObject({ detectedAt: '2024-06-10T08:45:00.000Z', detectedAtSource: 'sent-at' });
    });

    it('a body without any time is detected when received, and says so', async () => {
      const incident = onlyIncident(await normalise({ provider: 'generic' }, { title: 't', severity: 'low', dedup_key: 'k' }));
      expect(incident).toMatchObject({ detectedAt: RECEIVED_AT.toISOString(), detectedAtSource: 'received' });
    });

    it('quarantines an unreadable time instead of silently using the receipt time', async () => {
      const result = await normalise({ provider: 'generic' }, { title: 't', severity: 'low', dedup_key: 'k', createdAt: 'last tuesday' });
      expect(result.quarantined[0].reasons).toEqual([{ field: 'detectedAt', message: 'must be an ISO 8601 UTC time ending in Z, got "last tuesday"' }]);
    });

    it('a detectedAt override the user wrote is labelled by what it yields: the receipt time says received', async () => {
      const config = { provider: 'generic' as const, fieldOverrides: { detectedAt: '$receivedAt' } };
      const payload = { title: 't', severity: 'low', dedup_key: 'k', createdAt: 1624623123000 };
      expect(onlyIncident(await normalise(config, payload))).toMatchObject({ detectedAt: RECEIVED_AT.toISOString(), detectedAtSource: 'received' });
      const fromPayload = { provider: 'generic' as const, fieldOverrides: { detectedAt: 'createdAt' } };
      expect(onlyIncident(await normalise(fromPayload, { ...payload, dedup_key: 'k2' }))).toMatchObject({ detectedAt: '2021-06-25T12:12:03.000Z', detectedAtSource: 'payload' });
    });
  });
});
