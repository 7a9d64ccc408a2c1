import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntakeServer, type IntakeServer } from '../../cli/demo/intake-server';
import { parseSourceConfig } from '../../core/intake/source-config';
import { createNormaliser, type ClosableNormaliser } from '../../core/mapping/create-normaliser';
import { listReviewQueue } from '../../core/review/review-queue';
import { openSqliteStore, type Store } from '../../core/store';

/**
 * The Nagios and Icinga pages define the body those senders post: a shell script plus the command definitions
 * that fill it from macros. This runs the documented script for real (sh, jq, curl, openssl) with the
 * environment the documented commands set, against a loopback intake, signed and with a token.
 */
const REPO = join(__dirname, '..', '..');
const run = promisify(execFile);

function block(doc: string, marker: string): string {
  const text = readFileSync(join(REPO, doc), 'utf8');
  const match = new RegExp(`<!-- docs-test: file ${marker.replace('.', '\\.')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`${doc}: no block marked "file ${marker}"`);
  return match[1]!;
}

/** Nagios: the INTAKE_X='$MACRO$' assignments of one command_line, macros filled from `macros`. */
function nagiosEnvironment(commands: string, name: string, macros: Record<string, string>): Record<string, string> {
  const definition = commands.split('define command').find((part) => part.includes(`command_name    ${name}`));
  if (!definition) throw new Error(`no command ${name}`);
  const line = /command_line\s+(.*)/.exec(definition)![1]!;
  return Object.fromEntries([...line.matchAll(/(INTAKE_\w+)='([^']*)'/g)].map(([, key, value]) => [key!, value!.replace(/\$[A-Z0-9_]+\$/g, (macro) => macros[macro] ?? '')]));
}

/** Icinga 2: the template's env plus one command's `env +=`, runtime macros filled from `macros`. */
function icingaEnvironment(commands: string, name: string, macros: Record<string, string>, constants: Record<string, string>): Record<string, string> {
  const section = (start: string) => commands.slice(commands.indexOf(start), commands.indexOf('\n}\n', commands.indexOf(start)));
  const assignments = (text: string) =>
    [...text.matchAll(/^\s*(INTAKE_\w+) = (?:"([^"]*)"|(\w+))$/gm)].map(([, key, quoted, constant]) => [
      key!,
      quoted !== undefined ? quoted.replace(/\$[a-z_.]+\$/g, (macro) => macros[macro] ?? '') : constants[constant!]!,
    ]);
  return Object.fromEntries([...assignments(section('template NotificationCommand "intake-notification"')), ...assignments(section(`object NotificationCommand "${name}"`))]);
}

let store: Store;
let server: IntakeServer;
let dir: string;
const normalisers: ClosableNormaliser[] = [];
const SECRET = 'a-long-intake-secret-0123456789';

beforeAll(async () => {
  store = await openSqliteStore(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'notify-intake-'));
  const sources = (['nagios', 'icinga'] as const).flatMap((provider) =>
    (['hmac-hex', 'token'] as const).map((scheme) => {
      const normaliser = createNormaliser({ provider });
      normalisers.push(normaliser);
      return { source: parseSourceConfig({ id: `${provider}-${scheme}`, tenant: 'acme', provider, auth: { scheme, secrets: [{ value: SECRET }] } }), normaliser };
    }),
  );
  server = await startIntakeServer({ store, sources });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  for (const normaliser of normalisers) await normaliser.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runScript(doc: string, environment: Record<string, string>): Promise<Record<string, unknown>> {
  const script = join(dir, `${doc.replace(/\W/g, '_')}.sh`);
  writeFileSync(script, block(doc, 'notify-intake.sh'));
  const { stdout } = await run('sh', [script], { env: { PATH: process.env.PATH!, ...environment }, timeout: 30_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function queued(sourceId: string) {
  return (await listReviewQueue(store, 'acme', { sourceId })).map((entry) => entry.candidate as Record<string, unknown>);
}

/** What the token variant of each page says: INTAKE_TOKEN in place of INTAKE_HMAC_SECRET. */
function withToken(environment: Record<string, string>): Record<string, string> {
  const { INTAKE_HMAC_SECRET: secret, ...rest } = environment;
  return { ...rest, INTAKE_TOKEN: secret! };
}

describe('the Nagios Core notification script and commands (docs/providers/nagios.md)', () => {
  const commands = block('docs/providers/nagios.md', 'commands.cfg');
  const macros = {
    $USER10$: SECRET,
    $NOTIFICATIONTYPE$: 'PROBLEM',
    $HOSTNAME$: 'web-1',
    $SERVICEDESC$: 'HTTP',
    $SERVICESTATE$: 'CRITICAL',
    $HOSTSTATE$: 'DOWN',
    $SERVICEOUTPUT$: 'HTTP CRITICAL - HTTP/1.1 503 Service Unavailable',
    $HOSTOUTPUT$: 'PING CRITICAL - Packet loss = 100%',
    $TIMET$: '1717999200',
    $LASTSERVICESTATECHANGE$: '1717998930',
    $LASTHOSTSTATECHANGE$: '1717999100',
  };
  const at = (source: string, environment: Record<string, string>) => ({ ...environment, INTAKE_URL: `${server.url}/intake/${source}` });

  it('a signed service PROBLEM passes the hmac-hex check and maps to host + service', async () => {
    const environment = nagiosEnvironment(commands, 'notify-service-intake', macros);
    expect(environment.INTAKE_URL).toMatch(/^https:\/\//);
    const answer = await runScript('docs/providers/nagios.md', at('nagios-hmac-hex', environment));
    expect(answer).toMatchObject({ outcome: 'accepted' });
    expect(await queued('nagios-hmac-hex')).toEqual([
      expect.objectContaining({ externalId: 'web-1!HTTP', severity: 'critical', status: 'open', detectedAt: '2024-06-10T05:55:30.000Z', eventTime: '2024-06-10T06:00:00.000Z', detectedAtSource: 'payload' }),
    ]);
  });

  it('a host notification with a bearer token maps to the host alone', async () => {
    const environment = withToken(nagiosEnvironment(commands, 'notify-host-intake', macros));
    expect(await runScript('docs/providers/nagios.md', at('nagios-token', environment))).toMatchObject({ outcome: 'accepted' });
    expect(await queued('nagios-token')).toEqual([expect.objectContaining({ externalId: 'web-1', title: 'Host web-1 is DOWN', description: 'PING CRITICAL - Packet loss = 100%' })]);
  });

  it('a wrong secret is refused, and curl makes the command fail', async () => {
    const environment = { ...nagiosEnvironment(commands, 'notify-service-intake', macros), INTAKE_HMAC_SECRET: 'not-the-secret' };
    await expect(runScript('docs/providers/nagios.md', at('nagios-hmac-hex', environment))).rejects.toThrow(/401/);
  });
});

describe('the Icinga 2 notification script and commands (docs/providers/icinga.md)', () => {
  const commands = block('docs/providers/icinga.md', 'intake-commands.conf');
  // Icinga passes values straight into the environment, so nothing is cleaned: quotes, newlines and $(…) must
  // still arrive as text.
  const output = 'CRITICAL - "200" of 200 connections\nused; $(touch /tmp/should-not-exist) \'x\'';
  const macros = {
    '$notification.type$': 'ACKNOWLEDGEMENT',
    '$host.name$': 'app-3.example.net',
    '$service.name$': 'postgres-connections',
    '$service.state$': 'CRITICAL',
    '$service.output$': output,
    '$service.last_state_change$': '1717998900.412',
    '$notification.author$': 'icingaadmin',
    '$notification.comment$': 'On it',
    '$icinga.timet$': '1717999500',
  };
  const constants = { IntakeHmacSecret: SECRET };

  it('a signed service ACKNOWLEDGEMENT arrives intact and maps as acknowledged', async () => {
    const environment = { ...icingaEnvironment(commands, 'intake-service', macros, constants), INTAKE_URL: `${server.url}/intake/icinga-hmac-hex` };
    expect(await runScript('docs/providers/icinga.md', environment)).toMatchObject({ outcome: 'accepted' });
    const [candidate] = await queued('icinga-hmac-hex');
    expect(candidate).toMatchObject({ externalId: 'app-3.example.net!postgres-connections', status: 'acknowledged', detectedAt: '2024-06-10T05:55:00.412Z', eventTime: '2024-06-10T06:05:00.000Z' });
    expect(candidate!.description).toBe(`${output}\nComment by icingaadmin: On it`);
    expect(existsSync('/tmp/should-not-exist')).toBe(false);
  });

  it('a host notification with a token: no service in the environment, the host is the identity', async () => {
    const host = { ...macros, '$notification.type$': 'RECOVERY', '$host.state$': 'UP', '$host.output$': 'PING OK', '$host.last_state_change$': '1718000395.871' };
    const environment: Record<string, string> = { ...withToken(icingaEnvironment(commands, 'intake-host', host, constants)), INTAKE_URL: `${server.url}/intake/icinga-token` };
    expect(environment.INTAKE_SERVICE).toBeUndefined();
    expect(await runScript('docs/providers/icinga.md', environment)).toMatchObject({ outcome: 'accepted' });
    expect(await queued('icinga-token')).toEqual([expect.objectContaining({ externalId: 'app-3.example.net', status: 'resolved', severity: 'info' })]);
  });
});
