import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../cli/commands/map';
import { createNormaliser } from '../../core/mapping/create-normaliser';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'providers');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command module itself, with stream stubs. */
async function runDirect(args: string[], stdin: string): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  const code = await command.run(args, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, env: {} });
  return { code, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
}

/** The compiled CLI as a user runs it. */
function runCli(args: string[], stdin: string, timeoutMs = 20_000): Promise<Ran & { ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(stdin);
  });
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'map-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('incident-intake map (command module)', () => {
  it('prints candidates for a preset and exits 0', async () => {
    const ran = await runDirect(['--provider', 'pagerduty'], fixtureText('pagerduty.incident.triggered'));
    expect(ran.code).toBe(0);
    const output = JSON.parse(ran.stdout);
    expect(Object.keys(output)).toEqual(['candidates', 'quarantined', 'filtered', 'mappingVersion']);
    expect(output.candidates).toHaveLength(1);
    expect(output.candidates[0]).toMatchObject({ provider: 'pagerduty', externalId: 'Q2F4XKQ8LZ9ABC', severity: 'critical', status: 'open' });
  });

  it('exits 3 when an alert is quarantined, listing its reasons', async () => {
    const ran = await runDirect(['--provider', 'grafana'], fixtureText('grafana.alerting_webhook.batch_mixed'));
    expect(ran.code).toBe(3);
    const output = JSON.parse(ran.stdout);
    expect(output.candidates).toHaveLength(2);
    expect(output.quarantined).toEqual([expect.objectContaining({ index: 2, reasons: [{ field: 'severity', message: 'is required' }] })]);
  });

  it('applies a source config: filtered alerts still exit 0', async () => {
    const sourceConfig = tempFile('source.json', JSON.stringify({ provider: 'alertmanager', severityFilter: ['critical'] }));
    const ran = await runDirect(['--source-config', sourceConfig], fixtureText('alertmanager.webhook_v4.resolved_batch'));
    expect(ran.code).toBe(0);
    const output = JSON.parse(ran.stdout);
    expect(output.candidates).toEqual([]);
    expect(output.filtered.map((item: { reason: string }) => item.reason)).toEqual([
      "severity medium is not in this source's severity filter (critical)",
      "severity info is not in this source's severity filter (critical)",
    ]);
  });

  it('uses a mapping file that replaces the preset', async () => {
    const mapping = tempFile('mapping.jsonata', '{\n  "externalId": data.id,\n  "title": "[partner] " & data.title,\n  "detectedAt": data.detected_at,\n  "severity": "medium",\n  "status": "open"\n}\n');
    const ran = await runDirect(['--provider', 'generic', '--mapping', mapping], fixtureText('generic.standard_webhooks.incident_created'));
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).candidates).toEqual([
      {
        provider: 'generic',
        externalId: 'ext-7731',
        dedupeKey: 'generic::ext-7731',
        title: '[partner] Core banking batch delayed > 2h',
        detectedAt: '2024-06-10T06:40:00.000Z',
        severity: 'medium',
        status: 'open',
        detectedAtSource: 'payload',
        affectedSystems: [],
        regulatoryRefs: [],
        raw: { severity: 'medium', status: 'open' },
      },
    ]);
  });

  it('exits 2 with file:line:column for a mapping syntax error, before reading the payload', async () => {
    const mapping = tempFile('broken.jsonata', '{\n  "title": data.title,\n  "severity": data.severity ++ "x"\n}\n');
    const ran = await runDirect(['--provider', 'generic', '--mapping', mapping], '');
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toBe(`incident-intake map: ${mapping}:3:30: The symbol "+" cannot be used as a unary operator\n`);
  });

  it('exits 2 for usage problems', async () => {
    const noProvider = await runDirect([], '{}');
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toMatch(/--provider is required/);
    expect((await runDirect(['--provider', 'checkmk'], '{}')).stderr).toMatch(/--provider must be one of jira, servicenow/);
    expect((await runDirect(['--provider', 'jira'], 'not json')).stderr).toMatch(/stdin is not valid JSON/);
    expect((await runDirect(['--provider', 'jira'], '')).stderr).toMatch(/stdin is empty/);
    expect((await runDirect(['--provider', 'jira', '--mapping', '/nonexistent/m.jsonata'], '{}')).stderr).toMatch(/--mapping \/nonexistent\/m.jsonata: ENOENT/);
    const badShape = await runDirect(['--source-config', tempFile('shape.json', JSON.stringify({ provider: 'jira', timezone: 'Mars/Olympus' }))], '{}');
    expect(badShape.code).toBe(2);
    expect(badShape.stderr).toMatch(/timezone: must be an IANA time zone/);
    const badOverride = await runDirect(['--source-config', tempFile('override.json', JSON.stringify({ provider: 'jira', fieldOverrides: { title: 'x ++' } }))], '{}');
    expect(badOverride.code).toBe(2);
    expect(badOverride.stderr).toBe('incident-intake map: fieldOverrides.title: The symbol "+" cannot be used as a unary operator (line 1, column 4)\n');
  });

  it('prints its usage for --help', async () => {
    const ran = await runDirect(['--help'], '');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: incident-intake map --provider P/);
  });
});

describe('incident-intake map (compiled CLI)', () => {
  beforeAll(() => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      // Other folders may be mid-edit; tsc still emits, and the checks below need only our output.
      if (!existsSync(CLI)) throw error;
    }
  }, 120_000);

  it('maps a fixture end to end with the same mapping version as this process computes', async () => {
    const ran = await runCli(['map', '--provider', 'zabbix'], fixtureText('zabbix.webhook'));
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const output = JSON.parse(ran.stdout);
    expect(output.candidates[0]).toMatchObject({ externalId: '2345678', detectedAt: '2024-06-10T08:40:12.000Z', severity: 'high', status: 'open' });
    expect(output.mappingVersion).toBe(createNormaliser({ provider: 'zabbix' }).mappingVersion);
  });

  it.each([
    ['onemanage', 'onemanage-bug-report-created.json', 'bug:60d5eb12a9b8c77d2e3f4a10:60d5ec49f1a2c34b8c0e1a77'],
    ['onemanage', 'onemanage-critical-log.json', 'log:user_login_failed'],
    ['nagios', 'nagios-service-problem.json', 'web-1!HTTP'],
    ['icinga', 'icinga-service-problem.json', 'app-3.example.net!postgres-connections'],
  ])('previews the %s example payload %s', async (provider, file, externalId) => {
    const ran = await runCli(['map', '--provider', provider], readFileSync(join(ROOT, 'examples', 'payloads', file), 'utf8'));
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).candidates).toEqual([expect.objectContaining({ provider, externalId, detectedAtSource: 'payload', eventTime: expect.any(String) })]);
  });

  it('quarantines a hostile user mapping, exits 3 and does not hang', async () => {
    const mapping = tempFile('hostile.jsonata', '{"title": $match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/).match}');
    const ran = await runCli(['map', '--provider', 'generic', '--mapping', mapping, '--timeout-ms', '250'], fixtureText('generic.minimal'));
    expect(ran.code).toBe(3);
    expect(JSON.parse(ran.stdout).quarantined).toEqual([{ index: 0, reasons: [{ field: 'mapping', message: 'mapping exceeded 250 ms' }], partial: null }]);
    expect(ran.ms).toBeLessThan(5_000);
  });

  it('a host that never closes its normaliser still exits: idle mapping workers do not hold the process', async () => {
    const script = `
      const { createNormaliser } = require(${JSON.stringify(join(ROOT, 'dist', 'core', 'mapping', 'create-normaliser.js'))});
      const normaliser = createNormaliser({ provider: 'generic', fieldOverrides: { title: '$uppercase(title)' } });
      normaliser.normalise({ title: 'x', severity: 'low', dedup_key: 'k' }, { tenant: 't', sourceId: 's', provider: 'generic', receivedAt: new Date() })
        .then((result) => console.log(result.candidates[0].incident.title));
    `;
    const started = Date.now();
    const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, timeout: 10_000 }).toString();
    expect(output.trim()).toBe('X');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
