import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import helper from 'node-red-node-test-helper';
import intakeStoreNode from '../../node-red/intake-store';
import { RETENTION_CHECK_ENV } from '../../core/retention/host-retention';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';

helper.init(require.resolve('node-red'));
const DAY = 86_400_000;
const SECRET = generateStandardWebhookSecret();
const source = parseSourceConfig({ id: 'src', tenant: 'acme', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: SECRET }] } });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'node-red-retention-'));
  process.env[RETENTION_CHECK_ENV] = '50';
});
afterAll(() => {
  delete process.env[RETENTION_CHECK_ENV];
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => helper.unload());

/** A store file with quarantined events received `ages` days ago. */
async function storeWithQuarantined(path: string, ages: number[]) {
  const store = await openSqliteStore(path);
  try {
    for (const [index, age] of ages.entries()) {
      const at = Date.now() - age * DAY;
      const rawBody = Buffer.from(JSON.stringify({ externalId: `Q${index}` }));
      const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', SECRET, rawBody, { id: `msg-${index}`, timestamp: Math.floor(at / 1000) }) };
      await handleIntake(source, { headers, rawBody, receivedAt: new Date(at) }, { store, normaliser: passThroughNormaliser });
    }
  } finally {
    await store.close();
  }
}

/** What the runtime logged for one node at one level. */
function logged(nodeId: string, level: 'info' | 'warn'): string[] {
  const spy = helper.log() as unknown as { args: unknown[]; INFO: number; WARN: number };
  const wanted = level === 'info' ? spy.INFO : spy.WARN;
  return (spy.args as Array<[{ id?: string; level?: number; msg?: unknown }]>)
    .map(([entry]) => entry)
    .filter((entry) => entry.id === nodeId && entry.level === wanted)
    .map((entry) => String(entry.msg));
}

async function quarantinedLeft(path: string) {
  const store = await openSqliteStore(path);
  try {
    return (await store.transaction((r) => r.events.countByState('acme'))).quarantined ?? 0;
  } finally {
    await store.close();
  }
}

describe('Node-RED intake store: scheduled retention', () => {
  it('runs the daily cleanup by itself with the configured days and logs what it removed', async () => {
    const path = join(dir, 'scheduled.sqlite');
    await storeWithQuarantined(path, [40, 40, 10]);
    await helper.load(intakeStoreNode as never, [{ id: 'n-store', type: 'intake-store', sqlitePath: path, retentionDays: '20' }], {});
    await expect.poll(() => logged('n-store', 'info'), { timeout: 20_000 }).toEqual([expect.stringMatching(/^retention \(\d{4}-\d\d-\d\d, tenant acme, older than 20 days\): removed 2 event\(s\), 2 request body\(ies\)/)]);
    await helper.unload();
    expect(await quarantinedLeft(path)).toBe(1);
  });

  it('does nothing with retention 0, and warns instead of crashing when the store cannot be opened', async () => {
    const path = join(dir, 'off.sqlite');
    await storeWithQuarantined(path, [40]);
    await helper.load(intakeStoreNode as never, [
      { id: 'n-off', type: 'intake-store', sqlitePath: path, retentionDays: '0' },
      { id: 'n-broken', type: 'intake-store', sqlitePath: join(path, 'not-a-directory', 'store.sqlite') },
    ], {});
    await expect.poll(() => logged('n-broken', 'warn').length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(logged('n-broken', 'warn')[0]).toMatch(/^retention \(\d{4}-\d\d-\d\d\) failed, tried again at the next check/);
    expect(logged('n-off', 'info')).toEqual([]);
    await helper.unload();
    expect(await quarantinedLeft(path)).toBe(1);
  });
});
