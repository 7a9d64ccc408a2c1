import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { openSqliteStore } from '../../core/store';
import type { Store } from '../../core/store/store';
import { seedDeadLetters } from './dead-letters';

const dir = mkdtempSync(join(tmpdir(), 'intake-cli-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') => new PassThrough().on('data', (chunk: Buffer) => (out[key] += chunk.toString()));
  const code = await main(args, { stdin: new PassThrough(), stdout: stream('stdout'), stderr: stream('stderr'), env });
  return { code, ...out };
}

let path: string;
const counts = async () => {
  const store = await openSqliteStore(path);
  try {
    return await store.transaction((r) => r.deliveries.counts('acme', 'soc'));
  } finally {
    await store.close();
  }
};

async function withStore(work: (store: Store) => Promise<unknown>) {
  const store = await openSqliteStore(path);
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  path = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  await withStore((store) => seedDeadLetters(store, { tenant: 'acme', destinationId: 'soc', count: 450, at: Date.now() - 450 * 60_000 }));
});

describe('incident-intake replay', () => {
  it('replays every dead letter of a destination in batches, with counts on stderr', async () => {
    const run = await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--all', '--batch-size', '100']);
    expect(run).toMatchObject({ code: 0, stdout: 'Replayed 450 dead letter(s) of soc (tenant acme): due now, sent by the next worker pass.\n' });
    expect(run.stderr.trim().split('\n').at(-1)).toBe('replaying dead letters: 450/450');
    expect(await counts()).toMatchObject({ dead_letter: 0, scheduled: 450 });
  });

  it('skips and lists superseded dead letters (a newer version delivered, or replayed in the same run, across batches), and replays them with --force', async () => {
    await withStore(async (store) => {
      const seeded = (await store.transaction((r) => r.deliveries.list('acme', { destinationId: 'soc', incidentId: 'inc_seed_0' })))[0]!;
      await store.transaction(async (r) => {
        await r.deliveries.insert({ ...seeded, id: 'dlv_newer_0', eventVersion: 2, eventKind: 'incident.resolved', idempotencyKey: 'key_newer_0', state: 'delivered', deadLetteredAt: null, deliveredAt: seeded.createdAt + 1 });
        // dead too, listed after the older one: replayed first all the same, so the older one is skipped
        await r.deliveries.insert({ ...seeded, id: 'dlv_newer_1', incidentId: 'inc_seed_1', eventVersion: 2, eventKind: 'incident.updated', idempotencyKey: 'key_newer_1', createdAt: seeded.createdAt + 500 * 60_000 });
      });
    });
    const run = await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--incident', 'inc_seed_0']);
    expect(run).toMatchObject({ code: 0, stdout: 'Replayed no dead letters of soc (tenant acme).\nSkipped 1 superseded dead letter(s): a newer version of the incident was delivered, is pending or was replayed instead (--force replays them):\n  dlv_seed_soc_0  incident inc_seed_0 v1: superseded by v2 (delivered, dlv_newer_0)\n' });
    const all = await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--all', '--batch-size', '1']);
    expect(all.stdout).toBe(
      'Replayed 449 dead letter(s) of soc (tenant acme): due now, sent by the next worker pass.\n' +
        'Skipped 2 superseded dead letter(s): a newer version of the incident was delivered, is pending or was replayed instead (--force replays them):\n' +
        '  dlv_seed_soc_0  incident inc_seed_0 v1: superseded by v2 (delivered, dlv_newer_0)\n' +
        '  dlv_seed_soc_1  incident inc_seed_1 v1: superseded by v2 (scheduled, dlv_newer_1)\n',
    );
    expect(await counts()).toMatchObject({ dead_letter: 2, scheduled: 449, delivered: 1 });
    const forced = await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--id', 'dlv_seed_soc_0', '--force']);
    expect(forced.stdout).toBe('Replayed 1 dead letter(s) of soc (tenant acme): due now, sent by the next worker pass.\n');
    expect((await cli(['replay', '--help'])).stdout).toContain('--force              replay superseded dead letters too');
  });

  it('replays only a window, a status or given ids', async () => {
    // seeded one minute apart, the last one a minute ago: 60 of them fall within the past 61 minutes
    expect((await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--since', '61m'])).stdout).toMatch(/^Replayed 60 /);
    expect((await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--id', 'dlv_seed_soc_0', '--id', 'dlv_seed_soc_1', '--id', 'nope'])).stdout).toMatch(/^Replayed 2 /);
    expect((await cli(['replay', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--status', '410'])).stdout).toBe('No dead letters of soc (tenant acme) matched.\n');
    expect(await counts()).toMatchObject({ dead_letter: 388, scheduled: 62 });
  });

  it('refuses an unscoped or ambiguous selection and reads the store URL from the environment', async () => {
    expect(await cli(['replay', '--store', path, '--destination', 'soc'])).toMatchObject({ code: 2, stderr: expect.stringContaining('choose what to replay') });
    expect(await cli(['replay', '--store', path, '--destination', 'soc', '--all', '--status', '503'])).toMatchObject({ code: 2 });
    expect(await cli(['replay', '--store', path, '--destination', 'soc', '--since', 'yesterday'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--since must be an ISO 8601 time') });
    expect(await cli(['replay', '--store-env', 'INTAKE_STORE', '--tenant', 'acme', '--destination', 'soc', '--all'], { INTAKE_STORE: path })).toMatchObject({ code: 0 });
    expect(await cli(['replay', '--store-env', 'MISSING', '--destination', 'soc', '--all'])).toMatchObject({ code: 2 });
  });
});

describe('incident-intake cleanup', () => {
  it('runs retention with counts and purges finished deliveries when asked', async () => {
    const run = await cli(['cleanup', '--store', path, '--tenant', 'acme', '--older-than-days', '30', '--deliveries-older-than-days', '7']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('events removed: 0\n');
    expect(run.stdout).toBe('Removed 0 event(s), 0 request body(ies) and 0 expired counter window(s) older than 30 day(s) (tenant acme).\nRemoved 0 expired replay key(s).\nRemoved 0 delivered or cancelled deliveries older than 7 day(s).\n');
    expect(await cli(['cleanup', '--store', path, '--older-than-days', 'ten'])).toMatchObject({ code: 2 });
  });
});

describe('incident-intake source', () => {
  it('disables, refuses to re-enable without a clean test event, and re-enables with --force (audited)', async () => {
    await withStore((store) => store.transaction((r) => r.sources.ensure('acme', 'jira', 'jira', 'ACME Jira', Date.now())));
    const base = ['--store', path, '--tenant', 'acme', '--source', 'jira'];
    expect(await cli(['source', 'disable', ...base, '--actor', 'noc', '--reason', 'maintenance'])).toMatchObject({ code: 0, stdout: 'Source jira (tenant acme) is disabled.\n' });
    const refused = await cli(['source', 'enable', ...base, '--actor', 'noc']);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('needs a clean test event') });
    expect(await cli(['source', 'enable', ...base, '--actor', 'noc', '--force'])).toMatchObject({ code: 0 });
    const health = await cli(['source', 'health', ...base]);
    expect(JSON.parse(health.stdout)).toMatchObject({ source: { id: 'jira', enabled: true, disabledReason: null } });
    expect(await cli(['source', 'health', '--store', path, '--tenant', 'acme', '--source', 'nope'])).toMatchObject({ code: 1, stderr: 'incident-intake source: source nope was not found\n' });
    expect(await cli(['source', 'disable', ...base, '--actor', 'noc'])).toMatchObject({ code: 1, stderr: expect.stringContaining('a reason are required') });
    expect((await cli(['source', 'reboot', ...base])).code).toBe(2);
  });
});

describe('incident-intake destination', () => {
  it('shows a destination, re-enables one a 410 disabled (audited) and says when there was nothing to enable', async () => {
    await withStore((store) => store.transaction((r) => r.destinations.disable('acme', 'soc', 'the receiver answered 410 Gone', Date.now())));
    const before = await cli(['destination', 'health', '--store', path, '--tenant', 'acme', '--destination', 'soc']);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ destinationId: 'soc', enabled: false, disabledReason: 'the receiver answered 410 Gone', deadLettered: 450 });
    expect(await cli(['destination', 'enable', '--store', path, '--tenant', 'acme', '--destination', 'soc'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--actor') });
    expect(await cli(['destination', 'enable', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--actor', 'noc'])).toMatchObject({ code: 0, stdout: 'Destination soc (tenant acme) is enabled.\n' });
    expect(JSON.parse((await cli(['destination', 'health', '--store', path, '--tenant', 'acme', '--destination', 'soc'])).stdout)).toMatchObject({ enabled: true, disabledReason: null });
    await withStore(async (store) => {
      const audit = await store.transaction((r) => r.audit.forSubject('acme', 'destination', 'soc'));
      expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([['destination.enabled', 'noc']]);
    });
    expect(await cli(['destination', 'enable', '--store', path, '--tenant', 'acme', '--destination', 'soc', '--actor', 'noc'])).toMatchObject({ code: 1, stderr: expect.stringContaining('is not disabled') });
    expect(await cli(['destination', 'pause', '--store', path])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown action "pause"') });
    expect((await cli(['destination', '--help'])).stdout).toMatch(/^Usage: incident-intake destination <health\|enable>/);
  });
});
