import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTemplate, renderTemplate, HOSTS } from '../../core/templates';
import { findSecrets } from '../support/secret-scan';

const REPO = join(__dirname, '../..');
const files = (folder: string, ext: RegExp) => readdirSync(join(REPO, folder)).filter((name) => ext.test(name)).map((name) => join(folder, name));

/** The variables the templates name, set to recognisable secret values: none of them may reach a rendered file. */
const KNOWN = {
  ACME_JIRA_SECRET: 'acme-jira-secret-6f1c2b9e',
  ACME_ALERTMANAGER_TOKEN: 'acme-am-token-0c4d8e2a',
  ACME_REVIEW_TOKEN: 'acme-review-token-9b7a3c1d',
  ACME_INCIDENT_IO_API_KEY: 'acme-incident-io-key-5e2f7a9b',
  ACME_SOC_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  ACME_SOC_TOKEN: 'acme-soc-bearer-3a8d1f6c',
  ACME_SLACK_URL: 'https://hooks.slack.example/services/T0/B0/acme-slack-path-token-7c2e',
  GLOBEX_PAGERDUTY_SECRET: 'globex-pd-secret-2d9f4b7e',
  GLOBEX_ALERT_SOURCE_TOKEN: 'globex-alert-token-8e1a6c3f',
};
const knownValues = Object.values(KNOWN);

/** The example template plus a destination with every kind of secret reference a template can hold. */
const WITH_REFERENCES = `${readFileSync(join(REPO, 'examples/templates/msp-clients.yaml'), 'utf8')}
  initech:
    sources:
      grafana:
        provider: grafana
        auth: { scheme: token, secretEnv: ACME_JIRA_SECRET }
    destinations:
      soc:
        kind: webhook
        url: https://soc.initech.example/incidents
        secretHeaders:
          Authorization: Bearer env:ACME_SOC_TOKEN
          X-Api-Key: file:/run/secrets/initech-soc-api-key
        signing: { scheme: standard-webhooks, secretEnv: ACME_SOC_WEBHOOK_SECRET }
      slack:
        kind: webhook
        url: env:ACME_SLACK_URL
        signing: { scheme: none }
`;

describe('no secret value in any exported flow, workflow or rendered template', () => {
  it('finds a planted secret, so a clean result means something', () => {
    const planted = { nodes: [{ id: 'n', headers: JSON.stringify({ Authorization: `Bearer ${KNOWN.ACME_SOC_TOKEN}` }) }, { credentials: { secret: 'xoxb-123456789012-abcdefghijkl' } }] };
    expect(findSecrets(planted, knownValues).map((finding) => finding.path)).toEqual(['$.nodes[0].headers', '$.nodes[0].headers<json>.Authorization', '$.nodes[0].headers<json>.Authorization', '$.nodes[1].credentials.secret']);
  });

  it('examples/node-red and examples/n8n hold none', () => {
    const examples = [...files('examples/node-red', /\.json$/), ...files('examples/n8n', /\.json$/)];
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const file of examples) expect(findSecrets(JSON.parse(readFileSync(join(REPO, file), 'utf8')), knownValues), file).toEqual([]);
  });

  it('the example templates hold none', () => {
    for (const file of files('examples/templates', /\.ya?ml$/)) expect(findSecrets(parseYaml(readFileSync(join(REPO, file), 'utf8')), knownValues), file).toEqual([]);
  });

  it('every rendered file, for both hosts, holds references only, even with every variable set', () => {
    const saved = { ...process.env };
    Object.assign(process.env, KNOWN);
    try {
      const check = checkTemplate(WITH_REFERENCES, { env: process.env });
      expect(check.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      for (const host of HOSTS) {
        const { files: rendered } = renderTemplate(check.template!, check.clients, host);
        expect(rendered.length).toBeGreaterThan(2);
        for (const file of rendered) expect(findSecrets(JSON.parse(file.content), knownValues), `${host}: ${file.path}`).toEqual([]);
        const text = rendered.map((file) => file.content).join('\n');
        expect(text).toContain('Bearer env:ACME_SOC_TOKEN');
        expect(text).toContain('file:/run/secrets/initech-soc-api-key');
        expect(text).toContain('env:ACME_SLACK_URL');
      }
    } finally {
      process.env = saved;
    }
  });
});
