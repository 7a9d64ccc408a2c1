import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { getIncident } from '../../core/incidents/incident-queries';
import { createNormaliser } from '../../core/mapping/create-normaliser';
import { signRequest } from '../../core/signing';
import { openStore } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// Issue 17's replay, end to end through the real CLI: day 1 is 30.5 days before the (real) time the CLI
// runs, so `cleanup --older-than-days 30` removes what day 1 left behind.
const DAY = 86_400_000;
const SECRET = 'pagerduty-webhook-signing-secret';
const source = parseSourceConfig({ id: 'pd', tenant: 'acme', provider: 'pagerduty', mode: 'auto-create', auth: { scheme: 'pagerduty', secrets: [{ value: SECRET }] } });
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'providers', `${name}.json`));

function request(rawBody: Buffer, webhookId: string, at: number): IntakeRequest {
  return { headers: { 'content-type': 'application/json', 'x-webhook-id': webhookId, ...signRequest('pagerduty', SECRET, rawBody) }, rawBody, receivedAt: new Date(at) };
}

const support = postgresSupport();
const dir = mkdtempSync(join(tmpdir(), 'intake-cleanup-replay-'));
let cli: BuiltCli;
let cluster: PostgresCluster | undefined;
beforeAll(async () => {
  cli = await buildCli();
  if (support.binaries) cluster = await PostgresCluster.start(support.binaries);
}, 120_000);
afterAll(async () => {
  await cli?.cleanup();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { name: 'SQLite', url: async () => join(dir, 'intake.sqlite'), skip: false },
  { name: 'PostgreSQL', url: async () => cluster!.createSchema(), skip: !support.binaries },
])('incident-intake cleanup and a captured PagerDuty request ($name)', ({ url, skip }) => {
  it.skipIf(skip)('keeps refusing the replay after cleanup --older-than-days 30, on day 31 and on day 400', async () => {
    const storeUrl = await url();
    const day1 = Date.now() - 30 * DAY - 12 * 3_600_000;
    const normaliser = createNormaliser({ provider: 'pagerduty' });
    let store = await openStore(storeUrl);
    const send = (each: IntakeRequest) => handleIntake(source, each, { store, normaliser });
    let incidentId: string;
    const second = JSON.parse(fixture('pagerduty.incident.triggered').toString('utf8')) as { event: { id: string } };
    second.event.id = '01EXAMPLESECONDDELIVERY0001';
    const captured = request(Buffer.from(JSON.stringify(second)), 'webhook-2', day1 + 60_000);
    try {
      incidentId = (await send(request(fixture('pagerduty.incident.triggered'), 'webhook-1', day1))).incidents[0]!.incidentId;
      expect((await send(captured)).events).toMatchObject([{ state: 'duplicate' }]);
      expect((await send(request(fixture('pagerduty.incident.resolved'), 'webhook-3', day1 + 3_600_000))).incidents).toMatchObject([{ version: 2 }]);
    } finally {
      await store.close();
    }

    const tooShort = await runCli(cli, ['cleanup', '--store', storeUrl, '--tenant', 'acme', '--older-than-days', '30', '--replay-keys-older-than-days', '29']);
    expect(tooShort).toMatchObject({ code: 2, stderr: expect.stringContaining('--replay-keys-older-than-days must be at least --older-than-days') });
    const cleaned = await runCli(cli, ['cleanup', '--store', storeUrl, '--tenant', 'acme', '--older-than-days', '30']);
    expect(cleaned.code).toBe(0);
    // How many counter windows are past 31 days depends on the time of day (the tenant's day window starts at UTC midnight).
    expect(cleaned.stdout).toMatch(/^Removed 1 event\(s\), 1 request body\(ies\) and [0-9]+ expired counter window\(s\) older than 30 day\(s\) \(tenant acme\)\.\nRemoved 3 expired replay key\(s\)\.\n$/); // the three X-Webhook-Id keys, a week old

    store = await openStore(storeUrl);
    try {
      for (const at of [Date.now(), day1 + 399 * DAY]) {
        expect(await send({ ...captured, receivedAt: new Date(at) })).toMatchObject({ status: 202, code: 'duplicate', stored: false, incidents: [] });
      }
      expect((await getIncident(store, 'acme', incidentId)).incident).toMatchObject({ status: 'resolved', version: 2 });
      expect((await store.transaction((r) => r.audit.forSubject('acme', 'source', 'pd'))).map((entry) => entry.action)).toEqual(['request.replay_refused', 'request.replay_refused']);
    } finally {
      await store.close();
      await normaliser.close();
    }
  });
});

describe('incident-intake cleanup --help', () => {
  it('documents the replay-key retention options and their defaults', async () => {
    const help = await runCli(cli, ['cleanup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--replay-keys-older-than-days K');
    expect(help.stdout).toContain('(default 1825, or N if larger)');
    expect(help.stdout).toContain('--short-lived-replay-keys-older-than-days D');
    expect(help.stdout).toMatch(/at least 2 \(default 7\)/);
  });
});
