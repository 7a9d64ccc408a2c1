import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker, destinationHealth, DestinationVault, enqueueDelivery, sealDestination, sealedDestinations, type DeliveryResult } from '../../core/delivery';
import { openPostgresStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { FakeClock } from './support/fake-clock';
import { START } from './support/harness';
import { incidentRecord } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const support = postgresSupport();

describe.skipIf(!support.binaries)('several workers on one PostgreSQL outbox', () => {
  let cluster: PostgresCluster;
  let receiver: WebhookReceiver;
  const stores: Store[] = [];

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await Promise.allSettled(stores.map((store) => store.close()));
    await receiver?.close();
    await cluster?.destroy();
  });

  async function workersOn(count: number, destination: Record<string, unknown>, clock: FakeClock) {
    const url = await cluster.createSchema();
    const opened = await Promise.all(Array.from({ length: count + 1 }, () => openPostgresStore({ connectionString: url, poolSize: 4 })));
    stores.push(...opened);
    const results: DeliveryResult[] = [];
    const workers = opened.slice(1).map(
      (store, index) =>
        new DeliveryWorker({ store, destinations: [destination as never], workerId: `pg-${index}`, clock, timers: clock, random: () => 0.5, concurrency: 8, onResult: (r) => void results.push(r) }),
    );
    return { store: opened[0]!, workers, results };
  }

  it('claim disjoint deliveries concurrently: every delivery is sent exactly once', async () => {
    receiver.requests.length = 0;
    const clock = new FakeClock(START);
    const destination = { kind: 'webhook', id: 'hook', tenant: 't1', url: receiver.url, signing: { scheme: 'none' } };
    const { store, workers, results } = await workersOn(3, destination, clock);
    for (let n = 0; n < 60; n++) await enqueueDelivery(store, { destination, incident: incidentRecord({ id: `inc_${n}` }) }, { clock });
    await Promise.all(workers.map((worker) => worker.runUntilIdle()));
    await Promise.all(workers.map((worker) => worker.stop()));
    const keys = receiver.requests.map((request) => request.headers['webhook-id']);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    expect(new Set(results.map((result) => result.deliveryId)).size).toBe(60);
    expect(await destinationHealth(store, 't1', 'hook')).toMatchObject({ delivered: 60, active: 0 });
  });

  it('share one token bucket across workers', async () => {
    receiver.requests.length = 0;
    const clock = new FakeClock(START);
    const destination = { kind: 'webhook', id: 'paced', tenant: 't1', url: receiver.url, signing: { scheme: 'none' }, policy: { rateLimit: { perMinute: 60, burst: 5 } } };
    const { store, workers } = await workersOn(3, destination, clock);
    for (let n = 0; n < 20; n++) await enqueueDelivery(store, { destination, incident: incidentRecord({ id: `inc_${n}` }) }, { clock });
    const round = async () => (await Promise.all(workers.map((worker) => worker.runOnce()))).flat().length;
    expect(await round()).toBe(5);
    expect(await round()).toBe(0);
    clock.advance(3_000);
    expect(await round()).toBe(3);
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  it('serve every tenant\'s destinations sealed by another process, given only the key', async () => {
    receiver.requests.length = 0;
    const clock = new FakeClock(START);
    const vault = new DestinationVault([randomBytes(32).toString('base64')]);
    const url = await cluster.createSchema();
    const [store, workerStore] = await Promise.all([0, 1].map(() => openPostgresStore({ connectionString: url, poolSize: 2 })));
    stores.push(store!, workerStore!);
    const destinations = ['t1', 't2'].map((tenant) => ({ kind: 'webhook', id: 'sealed', tenant, url: `${receiver.url}/${tenant}`, signing: { scheme: 'none' } }) as const);
    for (const destination of destinations) {
      await sealDestination(store!, vault, destination, { clock });
      await enqueueDelivery(store!, { destination, incident: incidentRecord({ tenant: destination.tenant }) }, { clock });
    }
    const sealedWorker = new DeliveryWorker({ store: workerStore!, destinationSource: sealedDestinations(vault), clock, timers: clock });
    const results = await sealedWorker.runUntilIdle();
    await sealedWorker.stop();
    expect(results.map((result) => [result.tenant, result.status]).sort()).toEqual([
      ['t1', 'delivered'],
      ['t2', 'delivered'],
    ]);
    expect(receiver.requests.map((request) => request.path).sort()).toEqual(['/t1', '/t2']);
  });
});
