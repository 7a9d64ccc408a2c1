import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker, deliveryDetails, destinationHealth, DestinationVault, enqueueDelivery, sealDestination } from '../../core/delivery';
import { openSqliteStore } from '../../core/store';
import { compileProject } from './support/build';
import { ChildWorker } from './support/child-worker';
import { eventually } from './support/fake-clock';
import { incidentRecord } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let buildDir: string;
let workDir: string;
beforeAll(() => {
  buildDir = compileProject();
  workDir = mkdtempSync(join(tmpdir(), 'delivery-restart-'));
});
afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function scenario(count: number) {
  const receiver = await WebhookReceiver.start({ secret: SECRET });
  cleanup.push(() => receiver.close());
  const dbPath = join(workDir, `outbox-${Math.random().toString(36).slice(2)}.db`);
  const destination = { kind: 'webhook', id: 'hook', tenant: 't1', url: `${receiver.url}/in`, signing: { secret: SECRET }, policy: { timeoutMs: 1_000 } };
  const ids: string[] = [];
  const enqueue = async (howMany: number) => {
    const store = await openSqliteStore(dbPath);
    for (let n = ids.length, end = ids.length + howMany; n < end; n++) {
      ids.push((await enqueueDelivery(store, { destination, incident: incidentRecord({ id: `inc_${n}` }) })).delivery.id);
    }
    await store.close();
  };
  await enqueue(count);
  const spawnWorker = (workerId: string, leaseMarginMs = 30_000) => {
    const child = ChildWorker.spawn({ BUILD_DIR: buildDir, DB_PATH: dbPath, DESTINATION: JSON.stringify(destination), WORKER_ID: workerId, LEASE_MARGIN_MS: String(leaseMarginMs) });
    cleanup.push(() => child.stop());
    return child;
  };
  return { receiver, dbPath, ids, spawnWorker, enqueue };
}

async function verifyStore(dbPath: string, ids: string[]) {
  const store = await openSqliteStore(dbPath);
  try {
    const details = await Promise.all(ids.map((id) => deliveryDetails(store, 't1', id)));
    const health = await destinationHealth(store, 't1', 'hook');
    return { details: details.map((detail) => detail!), health };
  } finally {
    await store.close();
  }
}

describe('a worker process killed mid-delivery', () => {
  it('finishes every delivery after a restart, with the same idempotency keys, nothing lost', async () => {
    const { receiver, dbPath, ids, spawnWorker } = await scenario(5);
    receiver.alwaysRespond({ hang: true });
    const first = spawnWorker('host-a');
    await eventually(() => receiver.requests.length === 5, 15_000);
    await first.kill();
    expect(first.results()).toEqual([]);
    const keysBefore = receiver.requests.map((request) => request.headers['webhook-id']).sort();

    receiver.alwaysRespond({ status: 200 });
    const restarted = spawnWorker('host-a');
    await eventually(() => restarted.results().length === 5, 15_000);
    expect(await restarted.stop()).toBe(0);

    expect(restarted.results().every((result) => result.status === 'delivered' && result.attempt === 2)).toBe(true);
    const retried = receiver.requests.slice(5);
    expect(retried.map((request) => request.headers['webhook-id']).sort()).toEqual(keysBefore);
    expect(receiver.requests.every((request) => request.verified === true)).toBe(true);
    const { details, health } = await verifyStore(dbPath, ids);
    expect(health).toMatchObject({ delivered: 5, active: 0, deadLettered: 0 });
    for (const { delivery, attempts } of details) {
      expect(delivery.state).toBe('delivered');
      expect(attempts.map((attempt) => [attempt.number, attempt.outcome, attempt.reason])).toEqual([
        [1, 'retry', 'lease_expired'],
        [2, 'success', 'http_200'],
      ]);
    }
  });

  it('lets another host take the work over once the dead worker’s lease expires', async () => {
    const { receiver, dbPath, ids, spawnWorker } = await scenario(1);
    receiver.alwaysRespond({ hang: true });
    // The lease is the 1 s timeout plus a 300 ms margin: long enough for a live worker, short for the test.
    const first = spawnWorker('host-a', 300);
    await eventually(() => receiver.requests.length === 1, 15_000);
    await first.kill();
    receiver.alwaysRespond({ status: 204 });
    const other = spawnWorker('host-b');
    await eventually(() => other.results().length === 1, 15_000);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    const { details } = await verifyStore(dbPath, ids);
    expect(details[0]!.attempts.map((attempt) => attempt.reason)).toEqual(['lease_expired', 'http_204']);
  });
});

describe('several worker processes on one SQLite outbox', () => {
  it('deliver each delivery exactly once', async () => {
    const { receiver, dbPath, ids, spawnWorker, enqueue } = await scenario(0);
    receiver.alwaysRespond({ delayMs: 100, then: { status: 200 } });
    const workers = [spawnWorker('host-a'), spawnWorker('host-b'), spawnWorker('host-c')];
    await eventually(() => workers.every((worker) => worker.messages.some((message) => message.type === 'started')), 15_000);
    await enqueue(40);
    await eventually(() => workers.reduce((sum, worker) => sum + worker.results().length, 0) === 40, 20_000);
    await Promise.all(workers.map((worker) => worker.stop()));
    const keys = receiver.requests.map((request) => request.headers['webhook-id']);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    expect(workers.filter((worker) => worker.results().length > 0).length).toBeGreaterThan(1);
    const { health } = await verifyStore(dbPath, ids);
    expect(health).toMatchObject({ delivered: 40, active: 0 });
  });
});

describe('a worker process started with only the outbox key', () => {
  it('sends a retry that a process holding the destination config left behind', async () => {
    const receiver = await WebhookReceiver.start({ secret: SECRET });
    cleanup.push(() => receiver.close());
    receiver.respondWith({ status: 503 });
    const dbPath = join(workDir, 'sealed.db');
    const destination = { kind: 'webhook' as const, id: 'hook', tenant: 't1', url: `${receiver.url}/in`, signing: { secret: SECRET }, policy: { scheduleMs: [200] } };
    const key = randomBytes(32).toString('base64');
    const store = await openSqliteStore(dbPath);
    await sealDestination(store, new DestinationVault([key]), destination);
    const { delivery } = await enqueueDelivery(store, { destination, incident: incidentRecord() });
    const before = new DeliveryWorker({ store, destinations: [destination] });
    expect(await before.runOnce()).toMatchObject([{ status: 'retry_scheduled' }]);
    await before.stop();
    await store.close();

    const child = ChildWorker.spawn({ BUILD_DIR: buildDir, DB_PATH: dbPath, VAULT_KEYS: JSON.stringify([key]), WORKER_ID: 'host-sealed' });
    cleanup.push(() => child.stop());
    await eventually(() => child.results().length === 1, 15_000);
    expect(child.results()[0]).toMatchObject({ deliveryId: delivery.id, status: 'delivered', attempt: 2 });
    expect(child.messages.filter((message) => message.type === 'error')).toEqual([]);
    expect(receiver.requests.map((request) => request.verified)).toEqual([true, true]);
  });
});
