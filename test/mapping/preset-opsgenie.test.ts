import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('opsgenie preset', () => {
  it('maps a Create action; the alias is the dedupe key and the nanosecond updatedAt becomes UTC', async () => {
    const incident = onlyIncident(await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_create')));
    expect(incident).toEqual({
      provider: 'opsgenie',
      externalId: '7ec331d7-f5f3-4f78-a49c-2ad886df69fe-1718008800123',
      dedupeKey: 'opsgenie::payments-api-5xx-eu-west-1',
      title: '[payments-api] 5xx error rate > 25% in eu-west-1',
      description: '5xx ratio 27.4% over 5m; card authorisations failing for EU customers.',
      detectedAt: '2024-06-10T08:40:00.123Z',
      eventTime: '2024-06-10T08:40:00.450Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      labels: {
        tinyId: '812',
        alias: 'payments-api-5xx-eu-west-1',
        team: 'payments',
        source: 'Datadog',
        tags: 'payments, prod, eu-west-1',
        updatedAt: '2024-06-10T08:40:00.450Z',
      },
      raw: { severity: 'P1', status: 'Create' },
    });
  });

  it('maps an Acknowledge action for a source with a pinned instance', async () => {
    const incident = onlyIncident(await normalise({ provider: 'opsgenie', instance: 'acme-eu' }, fixture('opsgenie.webhook_acknowledge')));
    expect(incident).toEqual({
      provider: 'opsgenie',
      instance: 'acme-eu',
      externalId: '7ec331d7-f5f3-4f78-a49c-2ad886df69fe-1718008800123',
      dedupeKey: 'opsgenie:acme-eu:payments-api-5xx-eu-west-1',
      title: '[payments-api] 5xx error rate > 25% in eu-west-1',
      detectedAt: '2024-06-10T08:40:00.123Z',
      eventTime: '2024-06-10T08:45:00.998Z',
      severity: 'critical',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      labels: {
        tinyId: '812',
        alias: 'payments-api-5xx-eu-west-1',
        team: 'payments',
        source: 'Datadog',
        tags: 'payments, prod, eu-west-1',
        updatedAt: '2024-06-10T08:45:00.998Z',
      },
      raw: { severity: 'P1', status: 'Acknowledge' },
    });
  });

  it('maps a Close action with an empty alias and entity', async () => {
    const incident = onlyIncident(await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_close')));
    expect(incident).toEqual({
      provider: 'opsgenie',
      externalId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d-1718010000000',
      dedupeKey: 'opsgenie::1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d-1718010000000',
      title: 'Certificate for api.acme.example expires in 7 days',
      detectedAt: '2024-06-10T09:00:00.000Z',
      eventTime: '2024-06-10T10:00:00.000Z',
      severity: 'low',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      labels: { tinyId: '815', source: 'API', updatedAt: '2024-06-10T10:00:00.000Z' },
      raw: { severity: 'P4', status: 'Close' },
    });
  });

  it('yields nothing for an AddNote action', async () => {
    const result = await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_add_note'));
    expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
  });

  describe('other actions', () => {
    it('maps UnAcknowledge back to open on the alias dedupe key of the Create', async () => {
      const created = onlyIncident(await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_create')));
      const unacked = onlyIncident(await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_unacknowledge')));
      expect(unacked).toMatchObject({ dedupeKey: created.dedupeKey, status: 'open', severity: 'critical', raw: { severity: 'P1', status: 'UnAcknowledge' } });
    });

    it.each(['opsgenie.webhook_escalate', 'opsgenie.webhook_assign_ownership', 'opsgenie.webhook_update_priority'])('yields nothing for %s (no alert state in it)', async (name) => {
      expect(await normalise({ provider: 'opsgenie' }, fixture(name))).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
    });

    it.each([
      ['acknowledge', 'acknowledged'],
      ['CLOSE', 'resolved'],
      ['Delete', 'resolved'],
      ['unacknowledge', 'open'],
    ])('matches action %s in any case (→ %s)', async (action, status) => {
      const payload = { ...(fixture('opsgenie.webhook_acknowledge') as Record<string, unknown>), action };
      expect(onlyIncident(await normalise({ provider: 'opsgenie' }, payload)).status).toBe(status);
    });

    it('reads a lowercase priority', async () => {
      const payload = fixture('opsgenie.webhook_acknowledge') as { alert: Record<string, unknown> };
      payload.alert.priority = 'p3';
      expect(onlyIncident(await normalise({ provider: 'opsgenie' }, payload)).severity).toBe('medium');
    });
  });

  it('reads createdAt and updatedAt sent as strings (ms and ns) in the older payload with insertedAt', async () => {
    const incident = onlyIncident(await normalise({ provider: 'opsgenie' }, fixture('opsgenie.webhook_create.string_epochs')));
    expect(incident).toMatchObject({
      externalId: '97260ae4-a5c3-488a-8215-640445dd2710',
      dedupeKey: 'opsgenie::zabbix-2345678',
      detectedAt: '2024-06-10T08:40:00.455Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      labels: expect.objectContaining({ updatedAt: '2024-06-10T08:40:00.455Z', tags: 'component:mysql, env:prod' }),
    });
  });

  it('quarantines a bare numeric priority, naming severity and the value', async () => {
    const payload = fixture('opsgenie.webhook_create.string_epochs') as { alert: Record<string, unknown> };
    payload.alert.priority = '2';
    const result = await normalise({ provider: 'opsgenie' }, payload);
    expect(result.quarantined[0].reasons).toEqual([{ field: 'severity', message: expect.stringContaining('"2" is not in the severity table') }]);
  });
});
