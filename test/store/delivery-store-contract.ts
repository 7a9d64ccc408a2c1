import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store';
import type { DeliveryRecord } from '../../core/store/delivery-records';
import type { ClaimRequest } from '../../core/store/repositories/delivery-repository';

/** The outbox guarantees every Store implementation gives; part of the store contract. */
export function describeDeliveryStoreContract(name: string, openStore: () => Promise<Store>): void {
  describe(`Delivery store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore();
      await store.transaction((r) => r.destinations.ensure('t1', 'd1', 'webhook', 1_000));
    });
    afterEach(async () => {
      await store.close();
    });

    let version = 0;
    const delivery = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => {
      version += 1;
      return {
        id: randomUUID(),
        tenant: 't1',
        destinationId: 'd1',
        incidentId: `i-${version}`,
        eventVersion: 1,
        eventKind: 'incident.created',
        idempotencyKey: `key-${randomUUID()}`,
        payload: { n: version },
        state: 'scheduled',
        attempts: 0,
        totalAttempts: 0,
        replays: 0,
        nextAttemptAt: 1_000,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastStatus: null,
        lastError: null,
        remoteId: null,
        createdAt: 1_000 + version,
        updatedAt: 1_000,
        deliveredAt: null,
        deadLetteredAt: null,
        ...overrides,
      };
    };
    const claimRequest = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
      tenant: 't1',
      destinationId: 'd1',
      now: 2_000,
      limit: 10,
      owner: 'w1',
      leaseExpiresAt: 12_000,
      perIncidentOrder: false,
      ...overrides,
    });
    const insertAll = (records: DeliveryRecord[]) =>
      store.transaction(async (r) => {
        for (const record of records) await r.deliveries.insert(record);
      });

    it('enqueues a delivery once per destination and idempotency key', async () => {
      const first = delivery({ idempotencyKey: 'same' });
      expect(await store.transaction((r) => r.deliveries.insert(first))).toBe(true);
      expect(await store.transaction((r) => r.deliveries.insert(delivery({ idempotencyKey: 'same' })))).toBe(false);
      await store.transaction((r) => r.destinations.ensure('t1', 'd2', 'webhook', 1_000));
      expect(await store.transaction((r) => r.deliveries.insert(delivery({ idempotencyKey: 'same', destinationId: 'd2' })))).toBe(true);
      expect((await store.transaction((r) => r.deliveries.getByKey('t1', 'd1', 'same')))?.id).toBe(first.id);
    });

    it('never gives the same delivery to two concurrent claimers', async () => {
      await insertAll(Array.from({ length: 12 }, () => delivery()));
      const claim = (owner: string) => store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner, limit: 8 })));
      const [a, b] = await Promise.all([claim('w1'), claim('w2')]);
      const ids = [...a, ...b].map((c) => c.delivery.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(12);
      for (const { delivery: claimed } of a) expect(claimed).toMatchObject({ state: 'in_flight', leaseOwner: 'w1', attempts: 1, totalAttempts: 1 });
      expect(await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'w3' })))).toEqual([]);
    });

    it('claims only due deliveries, oldest due first', async () => {
      const late = delivery({ nextAttemptAt: 5_000 });
      const early = delivery({ nextAttemptAt: 1_500 });
      const earliest = delivery({ nextAttemptAt: 1_200 });
      await insertAll([late, early, earliest]);
      const claimed = await store.transaction((r) => r.deliveries.claimDue(claimRequest()));
      expect(claimed.map((c) => c.delivery.id)).toEqual([earliest.id, early.id]);
    });

    it('makes an expired lease claimable again and ignores the old holder completing it', async () => {
      const record = delivery();
      await insertAll([record]);
      const [first] = await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'w1', leaseExpiresAt: 5_000 })));
      expect(await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'w2', now: 4_999 })))).toEqual([]);
      const [second] = await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'w2', now: 5_000, leaseExpiresAt: 9_000 })));
      expect(second!.delivery).toMatchObject({ id: record.id, leaseOwner: 'w2', attempts: 2, totalAttempts: 2 });
      expect(second!.interrupted).toEqual({ number: 1, owner: 'w1', claimedAt: 2_000, leaseExpiredAt: 5_000 });
      const completion = { state: 'delivered' as const, nextAttemptAt: null, lastStatus: 200, lastError: null, remoteId: null, now: 6_000 };
      expect(await store.transaction((r) => r.deliveries.complete('t1', record.id, { owner: 'w1', totalAttempts: first!.delivery.totalAttempts }, completion))).toBe(false);
      expect(await store.transaction((r) => r.deliveries.complete('t1', record.id, { owner: 'w2', totalAttempts: 2 }, completion))).toBe(true);
      expect(await store.transaction((r) => r.deliveries.get('t1', record.id))).toMatchObject({ state: 'delivered', deliveredAt: 6_000, leaseOwner: null });
    });

    it('releases the leases of a restarted worker so its deliveries are due at once', async () => {
      await insertAll([delivery(), delivery()]);
      await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'host-a', leaseExpiresAt: 60_000 })));
      expect(await store.transaction((r) => r.deliveries.releaseLeases('host-a', 3_000))).toBe(2);
      const reclaimed = await store.transaction((r) => r.deliveries.claimDue(claimRequest({ owner: 'host-a', now: 3_000 })));
      expect(reclaimed.map((c) => c.interrupted?.number)).toEqual([1, 1]);
    });

    it('keeps deliveries of one incident in order when asked', async () => {
      const v1 = delivery({ incidentId: 'inc', eventVersion: 1, nextAttemptAt: 1_800 });
      const v2 = delivery({ incidentId: 'inc', eventVersion: 2, nextAttemptAt: 1_000 });
      const other = delivery({ incidentId: 'other', eventVersion: 3 });
      await insertAll([v2, v1, other]);
      const ordered = await store.transaction((r) => r.deliveries.claimDue(claimRequest({ perIncidentOrder: true })));
      expect(ordered.map((c) => c.delivery.id).sort()).toEqual([v1.id, other.id].sort());
      expect(await store.transaction((r) => r.deliveries.claimDue(claimRequest({ perIncidentOrder: true, now: 11_000 })))).toEqual([]);
      const done = { state: 'delivered' as const, nextAttemptAt: null, lastStatus: 200, lastError: null, remoteId: 'r1', now: 3_000 };
      await store.transaction((r) => r.deliveries.complete('t1', v1.id, { owner: 'w1', totalAttempts: 1 }, done));
      const next = await store.transaction((r) => r.deliveries.claimDue(claimRequest({ perIncidentOrder: true, now: 3_000 })));
      expect(next.map((c) => c.delivery.id)).toEqual([v2.id]);
    });

    it('replays one, a filtered set or all dead letters with a fresh budget and the same key', async () => {
      const records = [delivery({ incidentId: 'a' }), delivery({ incidentId: 'b' }), delivery({ incidentId: 'c' })];
      await insertAll(records);
      for (const { delivery: claimed } of await store.transaction((r) => r.deliveries.claimDue(claimRequest()))) {
        const dead = { state: 'dead_letter' as const, nextAttemptAt: null, lastStatus: claimed.incidentId === 'b' ? 500 : 400, lastError: claimed.incidentId === 'c' ? 'connect ECONNREFUSED 100%_sure\\' : 'x', remoteId: null, now: 4_000 };
        await store.transaction((r) => r.deliveries.complete('t1', claimed.id, { owner: 'w1', totalAttempts: 1 }, dead));
      }
      expect((await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { ids: [records[0]!.id, 'missing'] }, 5_000))).replayed).toEqual([records[0]!.id]);
      expect((await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { filter: { lastStatus: 500 } }, 5_000))).replayed).toEqual([records[1]!.id]);
      // The error text matches case-insensitively, LIKE's wildcards and the escape character taken literally.
      for (const unmatched of ['econnrefused 100x', '%%', 'sure_', 'ECONNREFUSED 100%_sure\\x']) {
        expect((await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { filter: { errorContains: unmatched } }, 5_000))).replayed).toEqual([]);
      }
      expect((await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { filter: { errorContains: 'econnrefused 100%_SURE\\' } }, 5_000))).replayed).toEqual([records[2]!.id]);
      expect((await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', {}, 5_000))).replayed).toEqual([]);
      const replayed = await store.transaction((r) => r.deliveries.get('t1', records[0]!.id));
      expect(replayed).toMatchObject({ state: 'scheduled', attempts: 0, totalAttempts: 1, replays: 1, nextAttemptAt: 5_000, idempotencyKey: records[0]!.idempotencyKey });
      const counts = await store.transaction((r) => r.deliveries.counts('t1', 'd1'));
      expect(counts).toMatchObject({ scheduled: 3, dead_letter: 0, scheduledRetries: 0 });
    });

    it('skips a dead letter whose incident has a newer version delivered, pending or replayed with it, unless forced', async () => {
      const dead = { state: 'dead_letter' as const, nextAttemptAt: null, lastStatus: 503, lastError: 'http_503', deadLetteredAt: 3_000 };
      const deliveredOld = delivery({ incidentId: 'delivered', eventVersion: 1, ...dead });
      const deliveredNew = delivery({ incidentId: 'delivered', eventVersion: 2, state: 'delivered', nextAttemptAt: null, deliveredAt: 3_500 });
      const pendingOld = delivery({ incidentId: 'pending', eventVersion: 3, ...dead });
      const pendingNew = delivery({ incidentId: 'pending', eventVersion: 4, nextAttemptAt: 9_000 });
      const bothOld = delivery({ incidentId: 'both', eventVersion: 1, ...dead });
      const bothNew = delivery({ incidentId: 'both', eventVersion: 2, ...dead });
      const olderDelivered = delivery({ incidentId: 'alone', eventVersion: 1, state: 'delivered', nextAttemptAt: null });
      const alone = delivery({ incidentId: 'alone', eventVersion: 2, ...dead });
      await insertAll([deliveredOld, deliveredNew, pendingOld, pendingNew, bothOld, bothNew, olderDelivered, alone]);
      const outcome = await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', {}, 5_000));
      expect(outcome.replayed.sort()).toEqual([bothNew.id, alone.id].sort());
      expect(outcome.skipped.sort((a, b) => a.incidentId.localeCompare(b.incidentId))).toEqual([
        { id: bothOld.id, incidentId: 'both', eventVersion: 1, reason: 'superseded', newerId: bothNew.id, newerVersion: 2, newerState: 'dead_letter' },
        { id: deliveredOld.id, incidentId: 'delivered', eventVersion: 1, reason: 'superseded', newerId: deliveredNew.id, newerVersion: 2, newerState: 'delivered' },
        { id: pendingOld.id, incidentId: 'pending', eventVersion: 3, reason: 'superseded', newerId: pendingNew.id, newerVersion: 4, newerState: 'scheduled' },
      ]);
      for (const skipped of [deliveredOld, pendingOld, bothOld]) expect(await store.transaction((r) => r.deliveries.get('t1', skipped.id))).toMatchObject({ state: 'dead_letter', replays: 0 });
      const byId = await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { ids: [deliveredOld.id] }, 6_000));
      expect(byId).toMatchObject({ replayed: [], skipped: [{ id: deliveredOld.id, reason: 'superseded' }] });
      const forced = await store.transaction((r) => r.deliveries.replayDeadLetters('t1', 'd1', { ids: [deliveredOld.id, pendingOld.id], force: true }, 6_000));
      expect({ replayed: forced.replayed.sort(), skipped: forced.skipped }).toEqual({ replayed: [deliveredOld.id, pendingOld.id].sort(), skipped: [] });
      expect(await store.transaction((r) => r.deliveries.get('t1', deliveredOld.id))).toMatchObject({ state: 'scheduled', replays: 1, nextAttemptAt: 6_000 });
    });

    it('purges only finished deliveries past retention, with their attempts', async () => {
      const done = delivery();
      const dead = delivery();
      const pending = delivery({ nextAttemptAt: 50_000 });
      await insertAll([done, dead, pending]);
      for (const [record, state] of [[done, 'delivered'], [dead, 'dead_letter']] as const) {
        await store.transaction((r) => r.deliveries.claimDue(claimRequest({ limit: 1 })));
        await store.transaction((r) => r.deliveries.complete('t1', record.id, { owner: 'w1', totalAttempts: 1 }, { state, nextAttemptAt: null, lastStatus: 200, lastError: null, remoteId: null, now: 3_000 }));
      }
      await store.transaction((r) =>
        r.deliveryAttempts.insert({ deliveryId: done.id, number: 1, tenant: 't1', destinationId: 'd1', startedAt: 2_000, durationMs: 1, httpStatus: 200, outcome: 'success', reason: 'http_200', summary: {} }),
      );
      expect(await store.transaction((r) => r.deliveries.deleteFinishedBefore('t1', 3_000))).toBe(0);
      expect(await store.transaction((r) => r.deliveries.deleteFinishedBefore('t1', 3_001))).toBe(1);
      expect(await store.transaction((r) => r.deliveries.get('t1', done.id))).toBeUndefined();
      expect(await store.transaction((r) => r.deliveryAttempts.forDelivery('t1', done.id))).toEqual([]);
      expect(await store.transaction((r) => r.deliveries.counts('t1', 'd1'))).toMatchObject({ dead_letter: 1, scheduled: 1, delivered: 0 });
    });

    it('records attempts and remembers remote ids per destination and incident', async () => {
      const record = delivery();
      await insertAll([record]);
      const attempt = { deliveryId: record.id, number: 1, tenant: 't1', destinationId: 'd1', startedAt: 2_000, durationMs: 12, httpStatus: 503, outcome: 'retry' as const, reason: 'http_503', summary: { status: 503 } };
      await store.transaction((r) => r.deliveryAttempts.insert(attempt));
      await store.transaction((r) => r.deliveryAttempts.insert({ ...attempt, reason: 'again' }));
      expect(await store.transaction((r) => r.deliveryAttempts.forDelivery('t1', record.id))).toEqual([attempt]);
      await store.transaction((r) => r.remoteRefs.set('t1', 'd1', 'inc', 'incident_io.incident_id', '01A', 1));
      await store.transaction((r) => r.remoteRefs.set('t1', 'd1', 'inc', 'incident_io.incident_id', '01B', 2));
      expect(await store.transaction((r) => r.remoteRefs.forIncident('t1', 'd1', 'inc'))).toEqual({ 'incident_io.incident_id': '01B' });
      expect(await store.transaction((r) => r.remoteRefs.forIncident('t1', 'd2', 'inc'))).toEqual({});
    });

    it('keeps destination state: first disable reason, the longest pause', async () => {
      expect(await store.transaction((r) => r.destinations.disable('t1', 'd1', 'http_410', 2_000))).toBe(true);
      expect(await store.transaction((r) => r.destinations.disable('t1', 'd1', 'other', 3_000))).toBe(false);
      await store.transaction((r) => r.destinations.pauseUntil('t1', 'd1', 9_000, 3_000));
      await store.transaction((r) => r.destinations.pauseUntil('t1', 'd1', 5_000, 3_000));
      const locked = await store.transaction((r) => r.destinations.lockForClaim('t1', 'd1'));
      expect(locked?.destination).toMatchObject({ enabled: false, disabledReason: 'http_410', pausedUntil: 9_000 });
      expect(await store.transaction((r) => r.destinations.enable('t1', 'd1', 4_000))).toBe(true);
      expect(await store.transaction((r) => r.destinations.get('t1', 'd1'))).toMatchObject({ enabled: true, disabledReason: null, pausedUntil: null });
    });

    it('keeps one row per rate bucket: never drawn from is null, a saved state reads back', async () => {
      expect(await store.transaction((r) => r.rateBuckets.lock('incident-io:alert-source:A', 1_000))).toBeNull();
      expect(await store.transaction((r) => r.rateBuckets.lock('incident-io:alert-source:A', 1_500))).toBeNull();
      await store.transaction(async (r) => {
        await r.rateBuckets.lock('incident-io:alert-source:A', 2_000);
        await r.rateBuckets.save('incident-io:alert-source:A', { tokens: 1.5, refilledAt: 3_000 }, 3_000);
      });
      expect(await store.transaction((r) => r.rateBuckets.lock('incident-io:alert-source:A', 4_000))).toEqual({ tokens: 1.5, refilledAt: 3_000 });
      expect(await store.transaction((r) => r.rateBuckets.get('incident-io:alert-source:B'))).toBeNull();
    });
  });
}
