import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';
import { incidentPayload } from '../support/intake-fixture';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

let cli: BuiltCli;
let dir: string;
beforeAll(async () => {
  cli = await buildCli();
  dir = await mkdtemp(join(tmpdir(), 'cli-review-'));
}, 120_000);
afterAll(async () => {
  await cli?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A file store with pending events sent through the real intake, one per payload. */
async function storeWithPending(name: string, payloads: Array<Record<string, unknown>>): Promise<{ path: string; ids: string[] }> {
  const path = join(dir, `${name}.sqlite`);
  const store = await openSqliteStore(path);
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ id: 'noc', tenant: 'acme', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: secret }] } });
  const ids: string[] = [];
  for (const [index, payload] of payloads.entries()) {
    const raw = Buffer.from(JSON.stringify(payload));
    const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, raw, { id: `msg_${index}`, timestamp: Math.floor(Date.now() / 1000) }) };
    const outcome = await handleIntake(source, { headers, rawBody: raw, receivedAt: new Date(Date.now() + index) }, { store, normaliser: passThroughNormaliser });
    ids.push(outcome.events[0]!.id);
  }
  await store.transaction((r) => r.destinations.ensure('acme', 'soc-webhook', 'webhook', Date.now()));
  await store.close();
  return { path, ids };
}

describe('incident-intake review', () => {
  it('lists the queue newest first without passing terminal control characters through', async () => {
    const { path, ids } = await storeWithPending('list', [incidentPayload({ externalId: 'A', title: 'Disk full' }), incidentPayload({ externalId: 'B', title: 'Evil \u001b[2J\u001b]0;pwned\u0007 title' })]);
    const listed = await runCli(cli, ['review', 'list', '--store', path, '--tenant', 'acme']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines.map((line) => line.split('  ')[0])).toEqual([ids[1], ids[0]]);
    expect(lines[0]).toContain('Evil  [2J ]0;pwned  title');
    expect(listed.stdout).not.toMatch(/[\u001b\u0007]/);
    const json = await runCli(cli, ['review', 'list', '--store', path, '--tenant', 'acme', '--json', '--limit', '1']);
    expect(JSON.parse(json.stdout).map((event: { id: string }) => event.id)).toEqual([ids[1]]);
    expect((await runCli(cli, ['review', 'list', '--store', path, '--tenant', 'other'])).stdout).toBe('The review queue is empty.\n');
  });

  it('promotes and rejects with actor and reason; the loser of a race is told who decided and why', async () => {
    const { path, ids } = await storeWithPending('decide', [incidentPayload({ externalId: 'A' }), incidentPayload({ externalId: 'B' })]);
    const missingReason = await runCli(cli, ['review', 'promote', '--store', path, '--tenant', 'acme', '--event', ids[0]!, '--actor', 'alice']);
    expect(missingReason.code).toBe(2);
    expect(missingReason.stderr).toContain('--reason is required');

    const promoted = await runCli(cli, ['review', 'promote', '--store', path, '--tenant', 'acme', '--event', ids[0]!, '--actor', 'alice', '--reason', 'confirmed outage', '--deliver-to', 'soc-webhook']);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toMatch(new RegExp(`^Promoted ${ids[0]}: incident inc_\\w+ created \\(version 1\\); queued for soc-webhook\\.`));
    const store = await openSqliteStore(path);
    const deliveries = await store.transaction((r) => r.deliveries.list('acme', {}));
    await store.close();
    expect(deliveries.map((delivery) => delivery.destinationId)).toEqual(['soc-webhook']);

    const again = await runCli(cli, ['review', 'reject', '--store', path, '--tenant', 'acme', '--event', ids[0]!, '--actor', 'bob', '--reason', 'noise']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is promoted; only pending or quarantined events can be rejected \(promoted by alice at \d{4}-[^:]+:\d\d:[\d.]+Z: "confirmed outage"\)/);

    const unknownDestination = await runCli(cli, ['review', 'promote', '--store', path, '--tenant', 'acme', '--event', ids[1]!, '--actor', 'alice', '--reason', 'x', '--deliver-to', 'nowhere']);
    expect(unknownDestination.code).toBe(1);
    expect(unknownDestination.stderr).toMatch(/destination nowhere/);

    const rejected = await runCli(cli, ['review', 'reject', '--store', path, '--tenant', 'acme', '--event', ids[1]!, '--actor', 'bob', '--reason', 'test noise']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect((await runCli(cli, ['review', 'list', '--store', path, '--tenant', 'acme'])).stdout).toBe('The review queue is empty.\n');
    const trail = await runCli(cli, ['audit', 'export', '--store', path, '--tenant', 'acme']);
    const actions = trail.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((entry) => entry.actor !== 'system').map((entry) => `${entry.action}:${entry.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['event.promoted:alice', 'event.rejected:bob']));
  });
});
