import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_CHECK_ENV } from '../../core/retention/host-retention';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openSqliteStore } from '../../core/store';
import { DeliveryWorkerTrigger } from '../../nodes/DeliveryWorkerTrigger/DeliveryWorkerTrigger.node';
import { leasedStoreCount } from '../../nodes/shared/store-cache';
import { triggerContext } from './support/fake-context';
import { tempStore } from './support/fixtures';

const DAY = 86_400_000;
const SECRET = generateStandardWebhookSecret();
const source = parseSourceConfig({ id: 'src', tenant: 'acme', provider: 'generic', auth: { scheme: 'standard-webhooks', secrets: [{ value: SECRET }] } });
let store: Awaited<ReturnType<typeof tempStore>>;
beforeAll(() => {
  process.env[RETENTION_CHECK_ENV] = '50';
});
afterAll(() => {
  delete process.env[RETENTION_CHECK_ENV];
});
afterEach(async () => store?.cleanup());

/** Quarantined events received `ages` days ago, written straight into the store file. */
async function quarantined(path: string, ages: number[]) {
  const direct = await openSqliteStore(path);
  try {
    for (const [index, age] of ages.entries()) {
      const at = Date.now() - age * DAY;
      const rawBody = Buffer.from(JSON.stringify({ externalId: `Q${index}` }));
      const headers = { 'content-type': 'application/json', ...signRequest('standard-webhooks', SECRET, rawBody, { id: `msg-${index}`, timestamp: Math.floor(at / 1000) }) };
      await handleIntake(source, { headers, rawBody, receivedAt: new Date(at) }, { store: direct, normaliser: passThroughNormaliser });
    }
  } finally {
    await direct.close();
  }
}

async function quarantinedLeft(path: string): Promise<number> {
  const direct = await openSqliteStore(path);
  try {
    return (await direct.transaction((r) => r.events.countByState('acme'))).quarantined ?? 0;
  } finally {
    await direct.close();
  }
}

function workerWith(credential: Record<string, unknown>) {
  const worker = triggerContext({ parameters: { emit: 'final' }, credentials: { incidentIntakeStoreApi: credential } });
  const lines = { info: [] as string[], warn: [] as string[] };
  Object.assign(worker, { logger: { error: () => undefined, debug: () => undefined, info: (l: string) => lines.info.push(l), warn: (l: string) => lines.warn.push(l) } });
  return { worker, lines };
}

describe('n8n Delivery Worker Trigger: scheduled retention from the store credential', () => {
  it('removes what the credential\'s retention allows, logs it, and gives its store lease back on close', async () => {
    store = await tempStore();
    await quarantined(store.path, [40, 12, 3]);
    const { worker, lines } = workerWith({ ...store.credential, retentionDays: 10 });
    const { closeFunction } = await new DeliveryWorkerTrigger().trigger.call(worker);
    try {
      await expect.poll(() => lines.info, { timeout: 20_000 }).toEqual([expect.stringMatching(/^Delivery Worker Trigger: retention \(\d{4}-\d\d-\d\d, tenant acme, older than 10 days\): removed 2 event\(s\)/)]);
    } finally {
      await closeFunction!();
    }
    expect(leasedStoreCount()).toBe(0);
    expect(await quarantinedLeft(store.path)).toBe(1);
  });

  it('runs nothing with retention 0, and refuses a retention that is not a whole number of days', async () => {
    store = await tempStore();
    await quarantined(store.path, [40]);
    const off = workerWith({ ...store.credential, retentionDays: 0 });
    const { closeFunction } = await new DeliveryWorkerTrigger().trigger.call(off.worker);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closeFunction!();
    expect(off.lines.info).toEqual([]);
    expect(await quarantinedLeft(store.path)).toBe(1);
    await expect(new DeliveryWorkerTrigger().trigger.call(workerWith({ ...store.credential, retentionDays: 'soon' }).worker)).rejects.toThrow(/whole number of days/);
    expect(leasedStoreCount()).toBe(0);
  });
});
