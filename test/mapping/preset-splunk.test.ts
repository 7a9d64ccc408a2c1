import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('splunk preset', () => {
  it('maps the alert webhook: identity from the search name and the row host, not the per-run sid', async () => {
    const incident = onlyIncident(await normalise({ provider: 'splunk' }, fixture('splunk.alert_webhook')));
    expect(incident).toEqual({
      provider: 'splunk',
      instance: 'splunk.acme.example:8000',
      externalId: 'Payments 5xx spike (EU):lb-eu-1',
      dedupeKey: 'splunk:splunk.acme.example:8000:Payments 5xx spike (EU):lb-eu-1',
      title: 'Payments 5xx spike (EU)',
      description: 'host=lb-eu-1, sourcetype=aws:elb:accesslogs, service=payments-api, status=503, count=1842, severity=critical',
      detectedAt: '2024-06-10T08:42:00.000Z',
      eventTime: '2024-06-10T08:42:00.000Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api', 'lb-eu-1'],
      regulatoryRefs: [],
      sourceUrl:
        'https://splunk.acme.example:8000/app/search/@go?sid=scheduler__admin__search__RMD5c8a1f7e9b2d3a4c5_at_1718008920_1234',
      labels: { searchName: 'Payments 5xx spike (EU)', app: 'search', owner: 'admin', sid: 'scheduler__admin__search__RMD5c8a1f7e9b2d3a4c5_at_1718008920_1234' },
      raw: { severity: 'critical', status: 'triggered' },
    });
  });

  it('uses the dedup_key the search outputs and reads an ISO _time with offset', async () => {
    const incident = onlyIncident(await normalise({ provider: 'splunk' }, fixture('splunk.alert_webhook.dedup_key')));
    expect(incident).toEqual({
      provider: 'splunk',
      instance: 'splunk.acme.example:8000',
      externalId: 'Payments 5xx spike (EU):payments-api:eu-west-1',
      dedupeKey: 'splunk:splunk.acme.example:8000:Payments 5xx spike (EU):payments-api:eu-west-1',
      title: 'Payments 5xx spike (EU)',
      description: 'dedup_key=payments-api:eu-west-1, service=payments-api, region=eu-west-1, severity=High, count=311',
      detectedAt: '2024-06-10T08:42:00.000Z',
      eventTime: '2024-06-10T08:42:00.000Z',
      severity: 'high',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api'],
      regulatoryRefs: [],
      sourceUrl:
        'https://splunk.acme.example:8000/app/search/@go?sid=scheduler__admin__search__RMD5c8a1f7e9b2d3a4c5_at_1718008980_1240',
      labels: { searchName: 'Payments 5xx spike (EU)', app: 'search', owner: 'admin', sid: 'scheduler__admin__search__RMD5c8a1f7e9b2d3a4c5_at_1718008980_1240' },
      raw: { severity: 'High', status: 'triggered' },
    });
  });

  it('quarantines a row without severity, and maps it once the source sets one', async () => {
    const payload = fixture('splunk.alert_webhook.no_severity');
    const quarantined = await normalise({ provider: 'splunk' }, payload);
    expect(quarantined.candidates).toEqual([]);
    expect(quarantined.quarantined.map((item) => item.reasons)).toEqual([[{ field: 'severity', message: 'is required' }]]);

    const incident = onlyIncident(await normalise({ provider: 'splunk', fieldOverrides: { severity: '"medium"' } }, payload));
    expect(incident).toEqual({
      provider: 'splunk',
      instance: 'splunk.acme.example:8000',
      externalId: 'LB errors:lb-eu-2',
      dedupeKey: 'splunk:splunk.acme.example:8000:LB errors:lb-eu-2',
      title: 'LB errors',
      description: 'host=lb-eu-2, count=77',
      detectedAt: '2024-06-10T08:42:00.250Z',
      eventTime: '2024-06-10T08:42:00.250Z',
      severity: 'medium',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['lb-eu-2'],
      regulatoryRefs: [],
      sourceUrl: 'https://splunk.acme.example:8000/app/search/@go?sid=rt_scheduler__admin__search__RMD5aa_at_1718008920_1300',
      labels: { searchName: 'LB errors', app: 'search', owner: 'admin', sid: 'rt_scheduler__admin__search__RMD5aa_at_1718008920_1300' },
      raw: { severity: 'medium', status: 'triggered' },
    });
  });

  describe('more alert shapes', () => {
    it('quarantines the documented ad-hoc example (search_name null, stats row without severity), naming the missing fields', async () => {
      const result = await normalise({ provider: 'splunk' }, fixture('splunk.alert_webhook.documented_adhoc'));
      expect(result.candidates).toEqual([]);
      expect(result.quarantined).toHaveLength(1);
      expect(result.quarantined[0].reasons).toEqual([
        { field: 'externalId', message: 'is required' },
        { field: 'title', message: 'is required' },
        { field: 'severity', message: 'is required' },
      ]);
      // A row without _time is detected when it is received rather than quarantined for it.
      expect(result.quarantined[0].partial).toMatchObject({ detectedAt: '2024-06-10T12:00:00.000Z', description: 'sourcetype=mongod, count=8' });
    });

    it('maps a stats row without _time (received time) and joins a multivalue host into the identity', async () => {
      const incident = onlyIncident(await normalise({ provider: 'splunk' }, fixture('splunk.alert_webhook.stats_no_time')));
      expect(incident).toMatchObject({
        externalId: 'Card auth errors by service:auth-eu-1,auth-eu-2',
        dedupeKey: 'splunk:splunk.acme.example:8000:Card auth errors by service:auth-eu-1,auth-eu-2',
        title: 'Card auth errors by service',
        detectedAt: '2024-06-10T12:00:00.000Z',
        severity: 'high',
        status: 'open',
        detectedAtSource: 'received',
        affectedSystems: ['card-auth', 'auth-eu-1', 'auth-eu-2'],
        raw: { severity: 'High', status: 'triggered' },
      });
    });

    it('maps an Enterprise Security notable: urgency as severity, rule title and description', async () => {
      const incident = onlyIncident(await normalise({ provider: 'splunk' }, fixture('splunk.alert_webhook.es_notable_urgency')));
      expect(incident).toEqual({
        provider: 'splunk',
        instance: 'es.acme.example',
        externalId: 'Access - Brute Force Access Behavior Detected - Rule:198.51.100.23',
        dedupeKey: 'splunk:es.acme.example:Access - Brute Force Access Behavior Detected - Rule:198.51.100.23',
        title: 'Brute force access behavior detected from 198.51.100.23',
        description: 'Excessive failed logins followed by a success.',
        detectedAt: '2024-06-10T08:52:00.000Z',
        eventTime: '2024-06-10T08:52:00.000Z',
        severity: 'critical',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: ['vpn-gw-02'],
        regulatoryRefs: [],
        sourceUrl:
          'https://es.acme.example/app/SplunkEnterpriseSecuritySuite/@go?sid=scheduler__admin__SplunkEnterpriseSecuritySuite__RMD5b2a4c6d8e0f1a3b5_at_1718009520_4410',
        labels: {
          searchName: 'Access - Brute Force Access Behavior Detected - Rule',
          app: 'SplunkEnterpriseSecuritySuite',
          owner: 'admin',
          sid: 'scheduler__admin__SplunkEnterpriseSecuritySuite__RMD5b2a4c6d8e0f1a3b5_at_1718009520_4410',
        },
        raw: { severity: 'CRITICAL', status: 'triggered' },
      });
    });

    it('keeps one identity across runs of the same search (the sid changes, the dedupe key does not)', async () => {
      const first = fixture('splunk.alert_webhook') as Record<string, unknown>;
      const second = { ...first, sid: 'scheduler__admin__search__RMD5c8a1f7e9b2d3a4c5_at_1718009220_1301', results_link: 'https://splunk.acme.example:8000/app/search/@go?sid=other' };
      const a = onlyIncident(await normalise({ provider: 'splunk' }, first));
      const b = onlyIncident(await normalise({ provider: 'splunk' }, second));
      expect(b.dedupeKey).toBe(a.dedupeKey);
    });
  });
});
