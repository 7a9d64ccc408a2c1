import { describe, expect, it } from 'vitest';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { MappingConfigError } from '../../core/mapping/validate-mapping-config';
import { fixture, normalise, onlyIncident } from './support';

describe('normaliser', () => {
  describe('mapping version', () => {
    it('is the same for the same mapping, whatever the key order, and changes with anything that shapes output', () => {
      const version = (config: Parameters<typeof createNormaliser>[0]) => createNormaliser(config).mappingVersion;
      const base = version({ provider: 'grafana' });
      expect(base).toMatch(/^grafana-[0-9a-f]{12}$/);
      expect(version({ provider: 'grafana' })).toBe(base);
      expect(version({ provider: 'grafana', customFields: { a: 'x', b: 'y' } })).toBe(version({ provider: 'grafana', customFields: { b: 'y', a: 'x' } }));
      const variants = [
        version({ provider: 'alertmanager' }),
        version({ provider: 'grafana', fieldOverrides: { title: 'labels.alertname' } }),
        version({ provider: 'grafana', severityFilter: ['critical'] }),
        version({ provider: 'grafana', timezone: 'Europe/Berlin' }),
        version({ provider: 'grafana', instance: 'grafana-eu' }),
        version({ provider: 'grafana', severityTable: { sev0: 'critical' } }),
        version({ provider: 'grafana', regulatoryRefsPath: 'labels.regulation' }),
      ];
      expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    });

    it('does not depend on the time limit', () => {
      expect(createNormaliser({ provider: 'jira' }, { timeoutMs: 1000 }).mappingVersion).toBe(createNormaliser({ provider: 'jira' }).mappingVersion);
    });
  });

  it('throws a located MappingConfigError for an invalid config (save time, not first event)', () => {
    expect(() => createNormaliser({ provider: 'grafana', fieldOverrides: { title: 'labels.' } })).toThrow(MappingConfigError);
    expect(() => createNormaliser({ provider: 'grafana', fieldOverrides: { title: 'labels.' } })).toThrow(/fieldOverrides\.title: .*\(line 1, column \d+\)/);
  });

  it('replaces the whole mapping; severity and status go through the preset tables, raw keeps the originals', async () => {
    const expression = `alerts.{
      "externalId": fingerprint,
      "title": labels.alertname & " on " & labels.region,
      "detectedAt": startsAt,
      "severity": "Critical",
      "status": status
    }`;
    const incident = onlyIncident(await normalise({ provider: 'grafana', expression }, fixture('grafana.alerting_webhook')));
    expect(incident).toEqual({
      provider: 'grafana',
      externalId: '7a3c9e1f0b2d4c6e',
      dedupeKey: 'grafana::7a3c9e1f0b2d4c6e',
      title: 'PaymentsAPIHigh5xx on eu-west-1',
      detectedAt: '2024-06-10T08:37:30.000Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      raw: { severity: 'Critical', status: 'firing' },
    });
  });

  it('evaluates field overrides and custom fields per alert with $candidate, $payload and $index bound', async () => {
    const config = {
      provider: 'grafana' as const,
      fieldOverrides: { title: '$candidate.title & " (" & $payload.receiver & " #" & $string($index) & ")"', affectedSystems: '[labels.service, labels.region]' },
      customFields: { team: 'labels.team', ratio: 'values.A', panel: 'panelURL ? "yes"' },
    };
    const incident = onlyIncident(await normalise(config, fixture('grafana.alerting_webhook')));
    expect(incident.title).toBe('payments-api 5xx > 25% in eu-west-1 (incident-intake #0)');
    expect(incident.affectedSystems).toEqual(['payments-api', 'eu-west-1']);
    expect(incident.labels).toEqual({
      alertname: 'PaymentsAPIHigh5xx',
      grafana_folder: 'Payments',
      region: 'eu-west-1',
      service: 'payments-api',
      severity: 'critical',
      team: 'payments',
      runbookUrl: 'https://runbooks.acme.example/payments/5xx',
      ratio: '0.274',
      panel: 'yes',
    });
  });

  it('lets a mapping override the dedupe key and the source add table rows', async () => {
    const config = { provider: 'datadog' as const, fieldOverrides: { dedupeKey: '"datadog-monitor:" & alert_id' }, severityTable: { recovered: 'low' as const } };
    const incident = onlyIncident(await normalise(config, fixture('datadog.custom_payload.recovered')));
    expect(incident.dedupeKey).toBe('datadog-monitor:1234567');
    expect(incident.severity).toBe('high');
    const fromTransition = onlyIncident(await normalise({ ...config, fieldOverrides: { severity: 'alert_transition' } }, fixture('datadog.custom_payload.recovered')));
    expect(fromTransition.severity).toBe('low');
  });

  it('prefers the instance pinned by the intake context, then the config, then the payload', async () => {
    const payload = fixture('pagerduty.incident.triggered');
    expect(onlyIncident(await normalise({ provider: 'pagerduty' }, payload)).instance).toBe('acme.pagerduty.com');
    expect(onlyIncident(await normalise({ provider: 'pagerduty', instance: 'pd-eu' }, payload)).dedupeKey).toBe('pagerduty:pd-eu:Q2F4XKQ8LZ9ABC');
    expect(onlyIncident(await normalise({ provider: 'pagerduty', instance: 'pd-eu' }, payload, { instance: 'pd-prod' })).dedupeKey).toBe('pagerduty:pd-prod:Q2F4XKQ8LZ9ABC');
  });

  it('quarantines an override that fails at run time under its own field name, keeping the rest', async () => {
    const result = await normalise({ provider: 'generic', fieldOverrides: { title: '$number(title) + 1' } }, fixture('generic.minimal'));
    expect(result.candidates).toEqual([]);
    expect(result.quarantined[0].reasons).toHaveLength(1);
    expect(result.quarantined[0].reasons[0].field).toBe('title');
    expect(result.quarantined[0].reasons[0].message).toMatch(/^D3030: Unable to cast value to a number/);
    expect(result.quarantined[0].partial).toMatchObject({ title: 'Nightly reconciliation failed', severity: 'high' });
  });

  it('quarantines a mapping that fails, produces nothing, or produces something other than objects', async () => {
    const payload = fixture('generic.minimal');
    const reasonsFor = async (expression: string) => (await normalise({ provider: 'generic', expression }, payload)).quarantined.map((item) => item.reasons);
    expect(await reasonsFor('$error("no thanks")')).toEqual([[{ field: 'mapping', message: 'D3137: no thanks (at character 7)' }]]);
    expect(await reasonsFor('nothing.here')).toEqual([[{ field: 'mapping', message: 'the mapping produced no incident for this payload' }]]);
    expect(await reasonsFor('["a", {"title": "x"}]')).toEqual([
      [{ field: 'mapping', message: 'the mapping must produce an object per incident, got the text "a"' }],
      [
        { field: 'externalId', message: 'is required' },
        { field: 'detectedAt', message: 'is required' },
        { field: 'severity', message: 'is required' },
        { field: 'status', message: 'is required' },
      ],
    ]);
  });

  it('an empty array from the mapping means "nothing to do", not an error', async () => {
    const result = await normalise({ provider: 'generic', expression: '[]' }, fixture('generic.minimal'));
    expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
  });

  it('names a severity missing from the table, without also calling it missing', async () => {
    const result = await normalise({ provider: 'pagerduty' }, { event: { data: { type: 'incident', id: 'Q1', title: 't', created_at: '2024-06-10T08:00:00Z', status: 'triggered', priority: { summary: 'P7' } } } });
    expect(result.quarantined[0].reasons).toEqual([{ field: 'severity', message: expect.stringMatching(/^"P7" is not in the severity table \(known: .*p1.*\)$/) }]);
  });

  it('reports non-string shapes field by field', async () => {
    const expression = '{"externalId": {"id": 1}, "title": "t", "detectedAt": "2024-06-10T08:00:00Z", "severity": "low", "status": "open", "sourceUrl": "ftp://x", "affectedSystems": [{"name": "x"}], "labels": "team=a"}';
    const result = await normalise({ provider: 'generic', expression }, {});
    expect(result.quarantined[0].reasons).toEqual([
      { field: 'externalId', message: 'must be a string, got an object' },
      { field: 'affectedSystems.0', message: 'must be a string, got an object' },
      { field: 'sourceUrl', message: 'must be an absolute http(s) URL, got "ftp://x"' },
      { field: 'labels', message: 'must be a map of strings, got "team=a"' },
    ]);
  });

  it('never throws, even for payloads that are not objects', async () => {
    for (const payload of [null, 42, 'text', [], [[1]]]) {
      const result = await normalise({ provider: 'jira' }, payload);
      expect(result.candidates).toEqual([]);
      expect(result.quarantined.length).toBeGreaterThan(0);
    }
  });
});
