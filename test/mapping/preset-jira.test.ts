import { describe, expect, it } from 'vitest';
import { fixture, normalise, onlyIncident } from './support';

describe('jira preset', () => {
  it('maps an issue_created webhook', async () => {
    const incident = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.issue_created')));
    expect(incident).toEqual({
      provider: 'jira',
      instance: 'acme.atlassian.net',
      externalId: '10042',
      dedupeKey: 'jira:acme.atlassian.net:10042',
      title: 'Payment API returning 503 for EU customers',
      description:
        'Synthetic checks and customer reports show HTTP 503 from payments-api in eu-west-1 since 08:31 UTC. Card authorisations failing for ~40% of EU traffic.',
      detectedAt: '2024-06-10T08:39:58.456Z',
      eventTime: '2024-06-10T08:39:58.611Z',
      severity: 'critical',
      status: 'open',
      detectedAtSource: 'payload',
      affectedSystems: ['payments-api', 'eu-west-1-edge'],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.atlassian.net/browse/SEC-142',
      labels: { issueKey: 'SEC-142', project: 'SEC', issueType: 'Incident' },
      raw: { severity: 'Highest', status: 'Open', statusCategory: 'new', event: 'jira:issue_created' },
    });
  });

  it('maps an issue_updated webhook that resolved the issue (moved to OPS: same id, new key)', async () => {
    const incident = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.issue_updated.resolved')));
    expect(incident).toEqual({
      provider: 'jira',
      instance: 'acme.atlassian.net',
      externalId: '10042',
      dedupeKey: 'jira:acme.atlassian.net:10042',
      title: 'Payment API returning 503 for EU customers',
      detectedAt: '2024-06-10T08:39:58.456Z',
      eventTime: '2024-06-10T10:30:10.221Z',
      severity: 'high',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.atlassian.net/browse/OPS-7',
      labels: { issueKey: 'OPS-7', project: 'OPS', issueType: 'Incident' },
      raw: { severity: 'High', status: 'Done', statusCategory: 'done', resolution: 'Fixed', event: 'jira:issue_updated' },
    });
  });

  it('quarantines an Automation-format issue with a null priority, naming severity', async () => {
    const result = await normalise({ provider: 'jira' }, fixture('jira.automation_format.null_priority'));
    expect(result.candidates).toEqual([]);
    expect(result.quarantined).toHaveLength(1);
    expect(result.quarantined[0].reasons).toEqual([{ field: 'severity', message: 'is required' }]);
    expect(result.quarantined[0].partial).toMatchObject({ externalId: '10077', status: 'acknowledged', detectedAt: '2024-06-10T08:35:00.000Z' });
  });

  it('maps the same Automation-format issue once a severity override reads the custom field', async () => {
    const config = { provider: 'jira' as const, fieldOverrides: { severity: 'fields.customfield_10050.value' }, regulatoryRefsPath: 'fields.labels[$ in ["nis2", "dora"]]' };
    const incident = onlyIncident(await normalise(config, fixture('jira.automation_format.null_priority')));
    expect(incident).toEqual({
      provider: 'jira',
      instance: 'acme.atlassian.net',
      externalId: '10077',
      dedupeKey: 'jira:acme.atlassian.net:10077',
      title: 'Suspicious admin login from new country',
      description: 'Login for j.admin from an unfamiliar ASN.',
      detectedAt: '2024-06-10T08:35:00.000Z',
      eventTime: '2024-06-10T09:40:00.000Z',
      severity: 'high',
      status: 'acknowledged',
      detectedAtSource: 'payload',
      affectedSystems: ['identity-provider'],
      regulatoryRefs: ['nis2'],
      sourceUrl: 'https://acme.atlassian.net/browse/SEC-151',
      labels: { issueKey: 'SEC-151', project: 'SEC', issueType: 'Incident' },
      raw: { severity: 'High', status: 'In Progress', statusCategory: 'indeterminate' },
    });
  });

  it('maps an issue_deleted webhook as resolved', async () => {
    const incident = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.issue_deleted')));
    expect(incident).toEqual({
      provider: 'jira',
      instance: 'acme.atlassian.net',
      externalId: '10090',
      dedupeKey: 'jira:acme.atlassian.net:10090',
      title: 'Duplicate of SEC-142',
      detectedAt: '2024-06-10T09:00:00.000Z',
      eventTime: '2024-06-10T11:46:40.000Z',
      severity: 'info',
      status: 'resolved',
      detectedAtSource: 'payload',
      affectedSystems: [],
      regulatoryRefs: [],
      sourceUrl: 'https://acme.atlassian.net/browse/SEC-160',
      labels: { issueKey: 'SEC-160', project: 'SEC', issueType: 'Incident' },
      raw: { severity: 'Lowest', status: 'Open', statusCategory: 'new', event: 'jira:issue_deleted' },
    });
  });

  describe('other webhook events and Jira Server/DC', () => {
    it.each(['jira.comment_created', 'jira.issuelink_created'])('yields nothing for %s (no issue state change)', async (name) => {
      const result = await normalise({ provider: 'jira' }, fixture(name));
      expect(result).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
    });

    it('yields nothing for worklog events either', async () => {
      const payload = { ...(fixture('jira.issue_updated.resolved') as object), webhookEvent: 'jira:worklog_updated' };
      expect(await normalise({ provider: 'jira' }, payload)).toMatchObject({ candidates: [], quarantined: [], filtered: [] });
    });

    it('maps a Jira Server/DC issue_commented update, keeping the context path in the link', async () => {
      const incident = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.server.issue_updated.commented')));
      expect(incident).toEqual({
        provider: 'jira',
        instance: 'jira.acme.example',
        externalId: '20013',
        dedupeKey: 'jira:jira.acme.example:20013',
        title: 'Core banking batch stuck at EOD step 4',
        description: 'EOD batch halted; settlement file not produced.',
        detectedAt: '2024-06-10T08:39:58.000Z',
        eventTime: '2024-06-10T09:50:00.000Z',
        severity: 'critical',
        status: 'acknowledged',
        detectedAtSource: 'payload',
        affectedSystems: ['core-banking'],
        regulatoryRefs: [],
        sourceUrl: 'https://jira.acme.example/jira/browse/OPS-311',
        labels: { issueKey: 'OPS-311', project: 'OPS', issueType: 'Incident' },
        raw: { severity: 'Blocker', status: 'In Progress', statusCategory: 'indeterminate', event: 'jira:issue_updated' },
      });
    });

    it('keeps created, updated and resolved events of one issue on one dedupe key', async () => {
      const created = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.issue_created')));
      const resolved = onlyIncident(await normalise({ provider: 'jira' }, fixture('jira.issue_updated.resolved')));
      expect(resolved.dedupeKey).toBe(created.dedupeKey);
      expect(resolved.status).toBe('resolved');
    });
  });

  it.each([
    ['P1 - Critical', 'critical'],
    ['p2', 'high'],
    ['P3: Moderate', 'medium'],
    ['HIGHEST', 'critical'],
    ['minor', 'low'],
  ])('reads the priority %s as %s, keeping the name in raw', async (name, severity) => {
    const payload = fixture('jira.issue_created') as { issue: { fields: { priority: { name: string } } } };
    payload.issue.fields.priority.name = name;
    const incident = onlyIncident(await normalise({ provider: 'jira' }, payload));
    expect(incident.severity).toBe(severity);
    expect(incident.raw.severity).toBe(name);
  });
});
