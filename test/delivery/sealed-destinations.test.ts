import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DeliveryWorker,
  deliveryDetails,
  destinationSchema,
  destinationSecrets,
  DestinationVault,
  enqueueDelivery,
  sealDestination,
  sealedDestinations,
  type DeliveryResult,
  webhookDestinationSchema,
  type WebhookDestination,
} from '../../core/delivery';
import { openSqliteStore, type Store } from '../../core/store';
import { INCIDENT_TARGET } from './support/destinations';
import { eventually, FakeClock } from './support/fake-clock';
import { START } from './support/harness';
import { incidentRecord } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const newKey = () => randomBytes(32).toString('base64');
const workDir = mkdtempSync(join(tmpdir(), 'sealed-destinations-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start();
  cleanup.push(() => started.close());
  return started;
}

async function storeAt(path = join(workDir, `${randomBytes(6).toString('hex')}.sqlite`)): Promise<Store> {
  const store = await openSqliteStore(path);
  cleanup.push(() => store.close());
  return store;
}

function webhookTo(url: string, overrides: Record<string, unknown> = {}): WebhookDestination {
  return webhookDestinationSchema.parse({
    kind: 'webhook',
    id: 'ops',
    tenant: 't1',
    url: `${url}/in?token=query-token-${randomBytes(8).toString('hex')}`,
    headers: { Authorization: `Bearer header-token-${randomBytes(8).toString('hex')}` },
    signing: { secret: `whsec_${randomBytes(32).toString('base64')}` },
    policy: { scheduleMs: [60_000], timeoutMs: 2_000 },
    ...overrides,
  });
}

function worker(store: Store, vault: DestinationVault, options: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) {
  const results: DeliveryResult[] = [];
  const errors: Error[] = [];
  const started = new DeliveryWorker({
    store,
    destinationSource: sealedDestinations(vault),
    random: () => 0.5,
    onResult: (result) => void results.push(result),
    onError: (error) => void errors.push(error as Error),
    ...options,
  });
  cleanup.push(() => started.stop());
  return { worker: started, results, errors };
}

describe('sealing destinations into the store', () => {
  it('registers the destination and writes again only when the config or the sealing key changes', async () => {
    const store = await storeAt();
    const config = webhookTo('http://127.0.0.1:9');
    const [oldKey, newerKey] = [newKey(), newKey()];
    const vault = new DestinationVault([oldKey]);
    expect(await sealDestination(store, vault, config)).toBe(true);
    expect(await store.transaction((r) => r.destinations.get('t1', 'ops'))).toMatchObject({ kind: 'webhook', enabled: true });
    expect(await sealDestination(store, vault, config)).toBe(false);
    expect(await sealDestination(store, vault, { ...config, url: 'http://127.0.0.1:10/in' })).toBe(true);
    const rotated = new DestinationVault([newerKey, oldKey]);
    expect(await sealDestination(store, rotated, { ...config, url: 'http://127.0.0.1:10/in' })).toBe(true);
    const sealed = await store.transaction((r) => r.destinations.getSealed('t1', 'ops'));
    expect(sealed).toMatchObject({ tenant: 't1', id: 'ops', keyId: rotated.sealingKeyId });
    expect(rotated.unseal('t1', 'ops', sealed!)).toMatchObject({ url: 'http://127.0.0.1:10/in' });
  });

  it('leaves no plaintext secret in the SQLite file, its journal, the destination row or the attempt records', async () => {
    const path = join(workDir, 'scan.sqlite');
    const store = await openSqliteStore(path);
    const down = await receiver();
    down.alwaysRespond({ status: 503, body: 'echo: anything' });
    const webhook = webhookTo(down.url, { url: `http://user:url-password-${randomBytes(6).toString('hex')}@${down.url.slice('http://'.length)}/in?token=query-${randomBytes(6).toString('hex')}` });
    const incidentIo = destinationSchema.parse({ ...INCIDENT_TARGET, id: 'incident-io', apiKey: `inc-key-${randomBytes(12).toString('hex')}`, baseUrl: down.url });
    const vault = new DestinationVault([newKey()]);
    for (const config of [webhook, incidentIo]) {
      await sealDestination(store, vault, config);
      await enqueueDelivery(store, { destination: config, incident: incidentRecord() });
    }
    const { worker: sender, results } = worker(store, vault);
    await sender.runOnce();
    expect(results.map((result) => result.status).sort()).toEqual(['retry_scheduled', 'retry_scheduled']);
    await sender.stop();
    await store.close();
    const secrets = [...destinationSecrets(webhook), ...destinationSecrets(incidentIo)];
    expect(secrets).toHaveLength(6);
    const files = [path, `${path}-wal`, `${path}-shm`].filter(existsSync);
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
    // The scan reads the right bytes: the migration's name and the stored payload are there in the clear.
    expect(bytes.includes(Buffer.from('sealed-destinations'))).toBe(true);
    expect(bytes.includes(Buffer.from(incidentRecord().title))).toBe(true);
  });
});

describe('a worker serving sealed destinations', () => {
  it('started fresh, with only the key, sends a retry another worker left behind', async () => {
    const path = join(workDir, 'restart.sqlite');
    const clock = new FakeClock(START);
    const target = await receiver();
    target.respondWith({ status: 503 });
    const config = webhookTo(target.url);
    const key = newKey();
    const vault = new DestinationVault([key]);
    const first = await openSqliteStore(path);
    await sealDestination(first, vault, config, { clock });
    const { delivery } = await enqueueDelivery(first, { destination: config, incident: incidentRecord() }, { clock });
    const before = new DeliveryWorker({ store: first, destinations: [config], clock, timers: clock, random: () => 0.5 });
    expect(await before.runOnce()).toMatchObject([{ status: 'retry_scheduled', nextAttemptAt: START + 60_000 }]);
    await before.stop();
    await first.close();

    clock.advance(60_000);
    const second = await storeAt(path);
    const { worker: fresh, results } = worker(second, new DestinationVault([newKey(), key]), { clock, timers: clock });
    expect(await fresh.runOnce()).toMatchObject([{ deliveryId: delivery.id, status: 'delivered', attempt: 2 }]);
    expect(results).toHaveLength(1);
    expect(target.requests.map((request) => request.path)).toEqual([new URL(config.url).pathname + new URL(config.url).search, expect.any(String)]);
    expect(await deliveryDetails(second, 't1', delivery.id)).toMatchObject({ delivery: { state: 'delivered' } });
  });

  it('picks up destinations sealed while it runs, and their changed configs, on its poll interval', async () => {
    const store = await storeAt();
    const vault = new DestinationVault([newKey()]);
    const [one, two] = [await receiver(), await receiver()];
    const { worker: running, results } = worker(store, vault, { pollIntervalMs: 20 });
    await running.start();
    const config = webhookTo(one.url);
    await sealDestination(store, vault, config);
    await enqueueDelivery(store, { destination: config, incident: incidentRecord({ id: 'inc_a' }) });
    await eventually(() => results.length === 1);
    expect(one.requests).toHaveLength(1);

    const moved = { ...config, url: `${two.url}/in` };
    await sealDestination(store, vault, moved);
    // Until its next reload (at most one poll interval) a worker still sends with the config it has.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await enqueueDelivery(store, { destination: moved, incident: incidentRecord({ id: 'inc_b' }) });
    await eventually(() => results.length === 2);
    expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered']);
    expect([one.requests.length, two.requests.length]).toEqual([1, 1]);
  });

  it('reports a destination sealed under another key once, and keeps serving the others', async () => {
    const store = await storeAt();
    const target = await receiver();
    const vault = new DestinationVault([newKey()]);
    const stranger = new DestinationVault([newKey()]);
    const readable = webhookTo(target.url);
    const unreadable = webhookTo(target.url, { id: 'elsewhere' });
    await sealDestination(store, vault, readable);
    await sealDestination(store, stranger, unreadable);
    const clock = new FakeClock(START);
    for (const destination of [readable, unreadable]) await enqueueDelivery(store, { destination, incident: incidentRecord() }, { clock });
    const { worker: running, results, errors } = worker(store, vault, { clock, timers: clock });
    expect(await running.runOnce()).toMatchObject([{ destinationId: 'ops', status: 'delivered' }]);
    clock.advance(5_000);
    expect(await running.runOnce()).toEqual([]);
    expect(results).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      `the sealed config of destination t1/elsewhere was sealed with key ${stranger.sealingKeyId}, which is not among the outbox encryption keys given (${vault.sealingKeyId})`,
    ]);
  });

  it('serves one tenant when asked to, and prefers a destination its host supplied', async () => {
    const store = await storeAt();
    const [sealedTarget, hostTarget] = [await receiver(), await receiver()];
    const vault = new DestinationVault([newKey()]);
    const t1 = webhookTo(sealedTarget.url);
    const t2 = webhookTo(sealedTarget.url, { tenant: 't2' });
    for (const destination of [t1, t2]) {
      await sealDestination(store, vault, destination);
      await enqueueDelivery(store, { destination, incident: incidentRecord({ tenant: destination.tenant }) });
    }
    const onlyT1 = worker(store, vault, { destinationSource: sealedDestinations(vault, { tenant: 't1' }), destinations: [{ ...t1, url: `${hostTarget.url}/in` }] });
    expect(await onlyT1.worker.runOnce()).toMatchObject([{ tenant: 't1', status: 'delivered' }]);
    expect([sealedTarget.requests.length, hostTarget.requests.length]).toEqual([0, 1]);
  });
});
