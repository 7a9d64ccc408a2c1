import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDelivery } from '../../core/delivery';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { FakeClock } from './support/fake-clock';
import { START } from './support/harness';
import { incidentRecord } from './support/incidents';

const support = postgresSupport();
const destination = { kind: 'webhook', id: 'hook' };

/** Three claimed deliveries; the second is reclaimed by another worker before the first one records. */
async function checkBatchCompletion(store: Store): Promise<void> {
  const clock = new FakeClock(START);
  for (const n of [0, 1, 2]) await enqueueDelivery(store, { destination, incident: incidentRecord({ id: `inc_${n}`, tenant: 't1' }) }, { clock });
  const claim = (owner: string, now: number, limit: number) =>
    store.transaction((r) => r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now, limit, owner, leaseExpiresAt: now + 1_000, perIncidentOrder: false }));
  const claimed = (await claim('a', START, 3)).map(({ delivery }) => delivery);
  expect(claimed).toHaveLength(3);
  await store.transaction((r) => r.deliveries.releaseLeases('a', START)); // every lease of "a" expires now…
  const [stolen] = await store.transaction((r) =>
    r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now: START, limit: 1, owner: 'b', leaseExpiresAt: START + 1_000, perIncidentOrder: false }),
  );
  const completion = (state: 'delivered' | 'scheduled', nextAttemptAt: number | null) => ({ state, nextAttemptAt, lastStatus: 204, lastError: null, remoteId: 'r-1', now: START + 5 });
  const held = await store.transaction((r) =>
    r.deliveries.completeMany(
      claimed.map((delivery, index) => ({
        tenant: 't1',
        id: delivery.id,
        lease: { owner: 'a', totalAttempts: delivery.totalAttempts },
        completion: index === 2 ? completion('scheduled', START + 60_000) : completion('delivered', null),
      })),
    ),
  );
  const rows = await store.transaction((r) => Promise.all(claimed.map((delivery) => r.deliveries.get('t1', delivery.id))));
  const stolenId = stolen!.delivery.id;
  expect([...held].sort()).toEqual(claimed.map((delivery) => delivery.id).filter((id) => id !== stolenId).sort());
  for (const row of rows) {
    if (row!.id === stolenId) expect(row).toMatchObject({ state: 'in_flight', leaseOwner: 'b', remoteId: null });
    else expect(row).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, lastStatus: 204, remoteId: 'r-1', updatedAt: START + 5 });
  }
  const scheduled = rows.filter((row) => row!.state === 'scheduled');
  for (const row of scheduled) expect(row).toMatchObject({ nextAttemptAt: START + 60_000, deliveredAt: null });
  for (const row of rows.filter((row) => row!.state === 'delivered')) expect(row).toMatchObject({ nextAttemptAt: null, deliveredAt: START + 5, deadLetteredAt: null });
}

describe('completing several deliveries in one statement', () => {
  it('updates only the deliveries whose lease is still held (SQLite)', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await checkBatchCompletion(store);
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

    it('updates only the deliveries whose lease is still held (PostgreSQL)', async () => {
      const store = await openPostgresStore(await cluster.createSchema());
      try {
        await checkBatchCompletion(store);
      } finally {
        await store.close();
      }
    });
  });
});
