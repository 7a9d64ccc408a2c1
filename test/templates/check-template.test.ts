import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplate, formatTemplateIssue, templateJsonSchema } from '../../core/templates';
import { MINIMAL, REPO, errorsOf, exampleCheck, exampleText } from './support';

describe('template check', () => {
  it('accepts the example template with no issue', () => {
    const check = exampleCheck();
    expect(check.issues).toEqual([]);
    expect(check.clients.map((client) => [client.key, client.tenant, client.sources.length, client.destinations.length])).toEqual([
      ['acme', 'acme', 2, 2],
      ['globex', 'globex', 1, 1],
    ]);
  });

  it('accepts JSON as well as YAML', () => {
    const json = JSON.stringify({ version: 1, clients: { acme: { sources: { jira: { provider: 'jira', auth: { scheme: 'hub-sha256', secretEnv: 'ACME_JIRA_SECRET' } } } } } });
    const check = checkTemplate(json);
    expect(errorsOf(check)).toEqual([]);
    expect(check.clients[0]!.sources[0]).toMatchObject({ id: 'jira', path: '/intake/acme/jira', template: { mode: 'review' } });
  });

  it('refuses a secret written into the template, points at it, and never repeats it', () => {
    const text = MINIMAL.replace('secretEnv: ACME_JIRA_SECRET', 'secret: s3cr3t-value-123');
    const check = checkTemplate(text);
    expect(check.ok).toBe(false);
    const errors = errorsOf(check);
    expect(errors).toEqual([
      '10:11 clients.acme.sources.jira.auth.secret: secrets never go into a template: use secretEnv with the name of the environment variable that holds it',
      '8:9 clients.acme.sources.jira.auth.secretEnv: is required for scheme hub-sha256: name the environment variable that holds the secret',
    ]);
    expect(JSON.stringify(check.issues)).not.toContain('s3cr3t');
  });

  it('refuses a secret pasted where an environment variable name belongs', () => {
    const check = checkTemplate(MINIMAL.replace('ACME_JIRA_SECRET', 'whsec_c2VjcmV0c2VjcmV0'));
    expect(errorsOf(check)).toEqual(['10:11 clients.acme.sources.jira.auth.secretEnv: must name an environment variable (A-Z, 0-9, _), not hold the secret itself']);
    expect(JSON.stringify(check.issues)).not.toContain('c2VjcmV0');
  });

  it('locates YAML syntax errors and duplicate keys', () => {
    expect(errorsOf(checkTemplate('version: 1\nclients:\n  acme: [\n'))[0]).toMatch(/^4:1 : /);
    expect(errorsOf(checkTemplate(`${MINIMAL}  acme:\n    sources: {}\n`))).toEqual(['11:3 : Map keys must be unique']);
  });

  it('names unknown keys, bad enums and missing fields with their position', () => {
    const text = MINIMAL.replace('provider: jira', 'provider: jirra').replace('mode: auto-create', 'mode: auto-create\n        colour: blue');
    expect(errorsOf(checkTemplate(text))).toEqual([
      '6:9 clients.acme.sources.jira.provider: must be one of jira, servicenow, pagerduty, splunk, sentinel, elastic, datadog, grafana, alertmanager, opsgenie, zabbix, onemanage, nagios, icinga, generic',
      '8:9 clients.acme.sources.jira.colour: is not a template setting',
    ]);
    expect(errorsOf(checkTemplate('version: 2\nclients: {}\n'))).toEqual(['1:1 version: must be 1', '2:1 clients: a template needs at least one client']);
  });

  it('reports a JSONata syntax error with its place inside the expression', () => {
    const text = `${MINIMAL}        mapping:\n          fieldOverrides:\n            title: 'fields.summary &'\n`;
    const [error] = errorsOf(checkTemplate(text));
    expect(error).toMatch(/^13:13 clients\.acme\.sources\.jira\.mapping\.fieldOverrides\.title: .+\(line 1, column \d+ of the expression\)$/);
  });

  it('checks references: destinations, routes and tenants', () => {
    const text = `${MINIMAL}        deliverTo: [nowhere]
  globex:
    tenant: acme
    sources:
      jira:
        provider: jira
        path: /intake/acme/jira
        auth: { scheme: none }
`;
    expect(errorsOf(checkTemplate(text))).toEqual([
      '11:9 clients.acme.sources.jira.deliverTo.0: names destination "nowhere", which client acme does not define',
      '17:9 clients.globex.sources.jira.path: route /intake/acme/jira is already used by clients.acme.sources.jira.path',
      '13:5 clients.globex.tenant: tenant "acme" already belongs to client acme; clients share no tenant',
    ]);
  });

  it('validates destinations as the delivery core will (body template JSONata, URLs without secrets)', () => {
    const text = `${MINIMAL}    destinations:
      soc:
        kind: webhook
        url: https://user:pw@soc.example/hook?token=abc
        bodyTemplate: '{ "a": '
        headers: { Authorization: Bearer x }
        signing: { scheme: standard-webhooks, secretEnv: SOC_SECRET }
`;
    const errors = errorsOf(checkTemplate(text));
    expect(errors).toEqual([
      '14:9 clients.acme.destinations.soc.url: must not carry credentials or a query string: those would be written into the generated files; sign the requests instead, or give the whole URL as a reference (env:NAME, file:/path)',
      '16:20 clients.acme.destinations.soc.headers.Authorization: looks like a credential header: templates hold no secrets; put it under secretHeaders with a reference (env:NAME, file:/path)',
    ]);
    const fixed = text.replace('https://user:pw@soc.example/hook?token=abc', 'https://soc.example/hook').replace('headers: { Authorization: Bearer x }', 'headers: { X-Team: ops }');
    expect(errorsOf(checkTemplate(fixed))).toEqual(['15:9 clients.acme.destinations.soc.bodyTemplate: must be a valid JSONata expression']);
  });

  it('says which settings a host cannot carry, only for the hosts asked about', () => {
    const text = `${MINIMAL}        mapping:\n          customFields: { team: fields.customfield_1 }\n`;
    expect(errorsOf(checkTemplate(text, { hosts: ['n8n'] }))).toEqual([]);
    expect(errorsOf(checkTemplate(text, { hosts: ['node-red'] }))).toEqual([
      "12:11 clients.acme.sources.jira.mapping.customFields: customFields cannot be expressed in Node-RED's nodes; use mapping.expression (a whole JSONata mapping) instead, or render for the other host",
    ]);
  });

  it('warns about review-mode sources without a review route and unused destinations', () => {
    const text = MINIMAL.replace('mode: auto-create', 'mode: review') + '        deliverTo: []\n    destinations:\n      spare: { kind: webhook, url: "https://x.example/h", signing: { scheme: none } }\n';
    const check = checkTemplate(text);
    expect(check.ok).toBe(true);
    expect(check.issues.map((issue) => formatTemplateIssue(issue, 't.yaml'))).toEqual([
      't.yaml:13:7: warning: clients.acme.destinations.spare: no source delivers to it',
      't.yaml:3:3: warning: clients.acme: sources in review mode (jira) but no review endpoint: add review.tokenEnv, or promote with the hosts\' review nodes',
    ]);
  });

  it('with the environment, reports unset variables and secrets their scheme cannot use, without printing values', () => {
    const text = MINIMAL.replace('scheme: hub-sha256', 'scheme: basic');
    expect(errorsOf(checkTemplate(text, { env: {} }))).toEqual(['10:11 clients.acme.sources.jira.auth.secretEnv: environment variable ACME_JIRA_SECRET is not set (it should hold the basic secret of source jira)']);
    const wrong = checkTemplate(text, { env: { ACME_JIRA_SECRET: 'no-colon-here' } });
    expect(errorsOf(wrong)).toEqual(['8:9 clients.acme.sources.jira.auth: basic: the secret does not work (malformed_signature)']);
    expect(JSON.stringify(wrong.issues)).not.toContain('no-colon-here');
    expect(errorsOf(checkTemplate(text, { env: { ACME_JIRA_SECRET: 'alice:correct-horse' } }))).toEqual([]);
  });
});

describe('template JSON Schema', () => {
  it('the committed examples/templates/template.schema.json is what `template schema` prints', () => {
    const committed = JSON.parse(readFileSync(join(REPO, 'examples/templates/template.schema.json'), 'utf8'));
    expect(committed).toEqual(templateJsonSchema());
    expect(exampleText().split('\n')[0]).toBe('# yaml-language-server: $schema=./template.schema.json');
  });
});
