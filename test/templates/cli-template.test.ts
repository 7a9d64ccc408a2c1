import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { requiredEnv } from '../../core/templates';
import { EXAMPLE_TEMPLATE, MINIMAL, exampleCheck } from './support';

const dir = mkdtempSync(join(tmpdir(), 'intake-template-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') => new PassThrough().on('data', (chunk: Buffer) => (out[key] += chunk.toString()));
  const code = await main(args, { stdin: new PassThrough(), stdout: stream('stdout'), stderr: stream('stderr'), env });
  return { code, ...out };
}

describe('incident-intake template', () => {
  it('check: valid template → 0 with counts; invalid → 1 with file:line:column issues; usage → 2', async () => {
    expect(await cli(['template', 'check', '--template', EXAMPLE_TEMPLATE])).toEqual({ code: 0, stdout: `${EXAMPLE_TEMPLATE}: valid — 2 client(s), 3 source(s), 3 destination(s)\n`, stderr: '' });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, MINIMAL.replace('scheme: hub-sha256', 'scheme: hub-sha512'));
    expect(await cli(['template', 'check', '--template', bad])).toEqual({
      code: 1,
      stdout: `${bad}: 1 error(s), 0 warning(s)\n`,
      stderr: `${bad}:9:11: error: clients.acme.sources.jira.auth.scheme: must be one of standard-webhooks, stripe, pagerduty, hub-sha256, grafana, onemanage, hmac-hex, hmac-base64, token, basic, none\n`,
    });
    expect((await cli(['template', 'check'])).code).toBe(2);
    expect((await cli(['template', 'check', '--template', join(dir, 'missing.yaml')])).stderr).toContain('ENOENT');
    expect((await cli(['template', 'check', '--template', EXAMPLE_TEMPLATE, '--for', 'zapier'])).code).toBe(2);
    expect((await cli(['template', 'frobnicate'])).code).toBe(2);
    expect((await cli(['template', 'constructor'])).code).toBe(2);
    expect(await cli(['template', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: incident-intake template <check|render|schema>') });
  });

  it('check --env: names the unset variables', async () => {
    const run = await cli(['template', 'check', '--template', EXAMPLE_TEMPLATE, '--env']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: clients.globex.destinations.alerts.alertSourceTokenEnv: environment variable GLOBEX_ALERT_SOURCE_TOKEN is not set');
  });

  it('render: per-client counts, files for each host, and no secret value from the environment anywhere', async () => {
    const check = exampleCheck();
    const env = Object.fromEntries(requiredEnv(check.template, check.clients).map((reference) => [reference.name, `secret-${randomBytes(12).toString('hex')}`]));
    env.ACME_SOC_WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
    for (const host of ['node-red', 'n8n']) {
      const out = join(dir, host);
      const run = await cli(['template', 'render', '--template', EXAMPLE_TEMPLATE, '--for', host, '--out', out], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('rendering clients: 1/2\nrendering clients: 2/2\n');
      const everything = [run.stdout, run.stderr, ...readdirSync(out).map((file) => readFileSync(join(out, file), 'utf8'))].join('\n');
      for (const secret of Object.values(env)) expect(everything).not.toContain(secret);
      if (host === 'node-red') {
        expect(readdirSync(out).sort()).toEqual(['acme.flow.json', 'globex.flow.json']);
        expect(run.stdout).toContain('acme: 2 source(s), 2 destination(s), 23 nodes → acme.flow.json\n');
        expect(run.stdout).toContain('  ACME_JIRA_SECRET  (the hub-sha256 secret of source jira)\n');
      } else {
        expect(readdirSync(out).sort()).toEqual(['acme.credentials.json', 'acme.workflow.json', 'delivery-worker.workflow.json', 'globex.credentials.json', 'globex.workflow.json']);
        expect(run.stdout).toContain('globex: 1 source(s), 1 destination(s), 4 nodes → globex.workflow.json, globex.credentials.json\n');
      }
    }
  });

  it('render: refuses an invalid template without writing, and renders only the clients asked for', async () => {
    const bad = join(dir, 'mapping.yaml');
    writeFileSync(bad, `${MINIMAL}        mapping:\n          customFields: { team: fields.team }\n`);
    const refused = await cli(['template', 'render', '--template', bad, '--for', 'node-red', '--out', join(dir, 'never')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:12:11: error: clients.acme.sources.jira.mapping.customFields: customFields cannot be expressed in Node-RED's nodes`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect((await cli(['template', 'render', '--template', bad, '--for', 'n8n', '--out', join(dir, 'n8n-ok')])).code).toBe(0);
    const only = await cli(['template', 'render', '--template', EXAMPLE_TEMPLATE, '--for', 'node-red', '--out', join(dir, 'only'), '--client', 'globex']);
    expect(readdirSync(join(dir, 'only'))).toEqual(['globex.flow.json']);
    expect(only.stdout).toContain('Rendered 1 client(s) for Node-RED: 1 file(s)');
    expect((await cli(['template', 'render', '--template', EXAMPLE_TEMPLATE, '--for', 'node-red', '--out', dir, '--client', 'initech'])).code).toBe(2);
  });
});
