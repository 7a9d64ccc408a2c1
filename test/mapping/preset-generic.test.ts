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
});
