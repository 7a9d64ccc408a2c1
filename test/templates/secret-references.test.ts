import { describe, expect, it } from 'vitest';
import { checkTemplate, formatTemplateIssue, renderTemplate } from '../../core/templates';
import { MINIMAL } from './support';

const errorsOf = (check: ReturnType<typeof checkTemplate>) => check.issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`);

const withDestination = (lines: string) => `${MINIMAL}    destinations:
      soc:
        kind: webhook
        url: https://soc.example/hook
        signing: { scheme: standard-webhooks, secretEnv: SOC_SECRET }
${lines}`;

describe('templates: secret references, never values', () => {
  it('takes secret headers as references and renders them into credentials for both hosts', () => {
    const check = checkTemplate(withDestination('        secretHeaders:\n          Authorization: Bearer env:SOC_TOKEN\n          X-Api-Key: file:/run/secrets/soc-key\n'));
    expect(errorsOf(check)).toEqual([]);
    const [flow] = renderTemplate(check.template!, check.clients, 'node-red').files;
    const out = (JSON.parse(flow!.content) as Array<Record<string, any>>).find((node) => node.type === 'webhook-out')!;
    expect(JSON.parse(out.credentials.secretHeaders)).toEqual({ Authorization: 'Bearer env:SOC_TOKEN', 'X-Api-Key': 'file:/run/secrets/soc-key' });
    expect(out.headers).toBe('');
    const n8n = renderTemplate(check.template!, check.clients, 'n8n').files.find((file) => file.path === 'acme.credentials.json')!;
    const credential = (JSON.parse(n8n.content) as Array<Record<string, any>>).find((entry) => entry.type === 'signedWebhookApi')!;
    expect(JSON.parse(credential.data.secretHeaders)).toEqual({ Authorization: 'Bearer env:SOC_TOKEN', 'X-Api-Key': 'file:/run/secrets/soc-key' });
    expect(check.clients[0] && renderTemplate(check.template!, check.clients, 'node-red').clients[0]!.env.map((reference) => reference.name)).toContain('SOC_TOKEN');
  });

  it('fails on a literal secret header value, naming the field and not the value', () => {
    const check = checkTemplate(withDestination('        secretHeaders:\n          Authorization: Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc\n'));
    expect(check.ok).toBe(false);
    const messages = check.issues.map((issue) => formatTemplateIssue(issue, 't.yaml'));
    expect(messages).toEqual([
      't.yaml:17:11: error: clients.acme.destinations.soc.secretHeaders.Authorization: looks like a literal secret: templates hold references only; name an environment variable (a …Env key) or use a reference such as env:NAME or file:/run/secrets/name',
    ]);
    expect(JSON.stringify(check.issues)).not.toContain('4eC39HqLyjWDarjtT1zdp7dc');
  });

  it('fails on a plain value in secretHeaders even when it does not look like a token', () => {
    const check = checkTemplate(withDestination('        secretHeaders:\n          X-Api-Key: hunter2\n'));
    expect(errorsOf(check)).toEqual(['17:11 clients.acme.destinations.soc.secretHeaders.X-Api-Key: must be a reference such as env:NAME, file:/run/secrets/name or Bearer env:NAME: secrets never go into a template']);
    expect(JSON.stringify(check.issues)).not.toContain('hunter2');
  });

  it('fails on a secret pasted anywhere else: a body template, a plain header', () => {
    const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const check = checkTemplate(withDestination(`        bodyTemplate: '{"key": "${whsec}"}'\n        headers: { X-Client: ghp_0123456789abcdefghijABCDEFGHIJ }\n`));
    expect(errorsOf(check).map((error) => error.split(': ')[0])).toEqual(['16:9 clients.acme.destinations.soc.bodyTemplate', '17:20 clients.acme.destinations.soc.headers.X-Client']);
    expect(JSON.stringify(check.issues)).not.toContain(whsec);
    expect(JSON.stringify(check.issues)).not.toContain('ghp_0123');
  });

  it('accepts a receiver URL that is itself a secret as a reference', () => {
    const check = checkTemplate(withDestination('').replace('url: https://soc.example/hook', 'url: env:SOC_URL'));
    expect(errorsOf(check)).toEqual([]);
    const out = (JSON.parse(renderTemplate(check.template!, check.clients, 'node-red').files[0]!.content) as Array<Record<string, any>>).find((node) => node.type === 'webhook-out')!;
    expect(out.url).toBe('env:SOC_URL');
  });
});
