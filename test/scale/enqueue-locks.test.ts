import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDeliveryIn } from '../../core/delivery';
import { openPostgresStore, type Store } from '../../core/store';
import { incidentRecord } from '../delivery/support/incidents';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/**
 * Enqueuing a delivery must not lock the destination's row: a worker recording an attempt updates that row
 * while holding its delivery's row, so an enqueue that held the destination row and then waited for that
 * delivery (re-enqueuing the same change) deadlocked with it.
 */
const support = postgresSupport();

describe.skipIf(!support.binaries)('enqueue and attempt records on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let stores: Store[];
  const destination = { kind: 'webhook', id: 'hook', tenant: 't1' };

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    const url = await cluster.createSchema();
    stores = [await openPostgresStore(url), await openPostgresStore(url)];
  });
  afterAll(async () => {
    await Promise.allSettled((stores ?? []).map((store) => store.close()));
    await cluster?.destroy();
  });

  it('an open enqueue of a known destination does not hold up recording a result for it', async () => {
    const [enqueuer, recorder] = stores;
    await enqueuer!.transaction((r) => enqueueDeliveryIn(r, { destination, incident: incidentRecord({ id: 'inc_a' }) }, Date.now()));
    let finishEnqueue!: () => void;
    const held = new Promise<void>((resolve) => (finishEnqueue = resolve));
    let enqueued!: () => void;
    const enqueuedSignal = new Promise<void>((resolve) => (enqueued = resolve));
    const open = enqueuer!.transaction(async (r) => {
      await enqueueDeliveryIn(r, { destination, incident: incidentRecord({ id: 'inc_b' }) }, Date.now());
      enqueued();
      await held;
    });
    await enqueuedSignal;
    const recording = recorder!.transaction((r) => r.destinations.recordResult('t1', 'hook', { status: 'delivered' }, Date.now()));
    const first = await Promise.race([recording.then(() => 'recorded'), sleep(3_000, 'blocked')]);
    finishEnqueue();
    await Promise.all([open, recording]);
    expect(first).toBe('recorded');
  });

  it('still refreshes the kind of a destination that changed it', async () => {
    const [store] = stores;
    const record = await store!.transaction(async (r) => {
      await r.destinations.ensure('t1', 'changing', 'webhook', 1);
      return r.destinations.ensure('t1', 'changing', 'incident-io', 2);
    });
    expect(record).toMatchObject({ kind: 'incident-io', createdAt: 1, updatedAt: 2, enabled: true });
  });
});
