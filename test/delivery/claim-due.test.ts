import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDelivery } from '../../core/delivery';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { FakeClock } from './support/fake-clock';
import { START } from './support/harness';
import { incidentRecord } from './support/incidents';

const support = postgresSupport();
const destination = { kind: 'webhook', id: 'hook' };

/** Four due deliveries, one of them leased by a worker that died: the claim takes that one first, then the oldest due. */
async function checkClaimOrder(store: Store): Promise<void> {
  const clock = new FakeClock(START);
  const ids: string[] = [];
  for (const n of [0, 1, 2, 3]) {
    const { delivery } = await enqueueDelivery(store, { destination, incident: incidentRecord({ id: `inc_${n}`, tenant: 't1' }) }, { clock });
    ids.push(delivery.id);
    clock.advance(1_000);
  }
  const claim = (owner: string, now: number, limit: number) =>
    store.transaction((r) => r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now, limit, owner, leaseExpiresAt: now + 10_000, perIncidentOrder: false }));
  // The oldest delivery is leased by a worker that then dies.
  const [dead] = await store.transaction((r) =>
    r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now: START + 3_000, limit: 1, owner: 'dead', leaseExpiresAt: START + 4_000, perIncidentOrder: false }),
  );
  expect(dead?.delivery.id).toBe(ids[0]);
  const claimed = await claim('alive', START + 5_000, 3);
  expect(claimed.map(({ delivery }) => delivery.id)).toEqual([ids[0], ids[1], ids[2]]);
  expect(claimed[0]!.interrupted).toEqual({ number: 1, owner: 'dead', claimedAt: START + 3_000, leaseExpiredAt: START + 4_000 });
  expect(claimed.slice(1).map(({ interrupted }) => interrupted)).toEqual([null, null]);
  for (const { delivery } of claimed) expect(delivery).toMatchObject({ state: 'in_flight', leaseOwner: 'alive', leaseExpiresAt: START + 15_000, updatedAt: START + 5_000 });
  expect(claimed.map(({ delivery }) => delivery.totalAttempts)).toEqual([2, 1, 1]);
  expect(await claim('alive', START + 5_000, 3)).toHaveLength(1);
  expect(await claim('alive', START + 5_000, 3)).toHaveLength(0);
}

/** FIFO per incident: version 2 waits while version 1 is scheduled or in flight. */
async function checkPerIncidentOrder(store: Store): Promise<void> {
  const clock = new FakeClock(START);
  const first = incidentRecord({ id: 'inc_fifo', tenant: 't1' });
  await enqueueDelivery(store, { destination: { kind: 'webhook', id: 'fifo' }, incident: first }, { clock });
  await enqueueDelivery(store, { destination: { kind: 'webhook', id: 'fifo' }, incident: { ...first, version: 2 } }, { clock });
  const claim = () =>
    store.transaction((r) => r.deliveries.claimDue({ tenant: 't1', destinationId: 'fifo', now: START, limit: 5, owner: 'w', leaseExpiresAt: START + 10_000, perIncidentOrder: true }));
  const [v1, ...others] = await claim();
  expect([v1?.delivery.eventVersion, others.length]).toEqual([1, 0]);
  expect(await claim()).toEqual([]);
  await store.transaction((r) =>
    r.deliveries.complete('t1', v1!.delivery.id, { owner: 'w', totalAttempts: 1 }, { state: 'delivered', nextAttemptAt: null, lastStatus: 204, lastError: null, remoteId: null, now: START }),
  );
  expect((await claim()).map(({ delivery }) => delivery.eventVersion)).toEqual([2]);
}

describe('claiming due deliveries', () => {
  it('takes expired leases first, then the oldest due, recording what the dead worker held (SQLite)', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await checkClaimOrder(store);
      await checkPerIncidentOrder(store);
    } finally {
      await store.close();
    }
  });

  describe.skipIf(!support.binaries)('on PostgreSQL', () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      cluster = await PostgresCluster.start(support.binaries!);
    });
    afterAll(async () => {
      await cluster?.destroy();
    });

    it('takes expired leases first, then the oldest due, recording what the dead worker held (PostgreSQL)', async () => {
      const store = await openPostgresStore(await cluster.createSchema());
      try {
        await checkClaimOrder(store);
        await checkPerIncidentOrder(store);
      } finally {
        await store.close();
      }
    });
  });
});
