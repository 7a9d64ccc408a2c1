import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store';
import type { EventRecord, IncidentRecord, ReceiptRecord } from '../../core/store/records';
import { describeDeliveryStoreContract } from './delivery-store-contract';

/** The guarantees every Store implementation gives; run once per implementation. */
export function describeStoreContract(name: string, openStore: () => Promise<Store>): void {
  describeDeliveryStoreContract(name, openStore);
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const receipt = (overrides: Partial<ReceiptRecord> = {}): ReceiptRecord => ({
      id: randomUUID(),
      tenant: 't1',
      sourceId: 's1',
      replayKey: `id:${randomUUID()}`,
      messageId: null,
      receivedAt: 1_000,
      bodySha256: 'ab'.repeat(32),
      contentType: 'application/json',
      httpStatus: 202,
      outcome: 'accepted',
      response: { ok: true },
      ...overrides,
    });

    const event = (receiptId: string, overrides: Partial<EventRecord> = {}): EventRecord => ({
      id: randomUUID(),
      tenant: 't1',
      sourceId: 's1',
      receiptId,
      position: 0,
      state: 'pending_review',
      reasons: [],
      candidate: { title: 'x' },
      dedupeKey: 'p::1',
      incidentId: null,
      mappingVersion: 'm1',
      receivedAt: 1_000,
      decidedAt: null,
      decidedBy: null,
      decisionReason: null,
      ...overrides,
    });

    const incident = (overrides: Partial<IncidentRecord> = {}): IncidentRecord => ({
      id: randomUUID(),
      tenant: 't1',
      dedupeKey: 'p::1',
      sourceId: 's1',
      provider: 'generic',
      title: 'Disk full',
      severity: 'high',
      status: 'open',
      canonical: {
        provider: 'generic',
        externalId: '1',
        dedupeKey: 'p::1',
        title: 'Disk full',
        detectedAt: '2024-01-01T00:00:00.000Z',
        detectedAtSource: 'payload',
        severity: 'high',
        status: 'open',
        affectedSystems: [],
        regulatoryRefs: [],
        raw: {},
      },
      version: 1,
      owner: null,
      createdAt: 1_000,
      updatedAt: 1_000,
      lastSeenAt: 1_000,
      resolvedAt: null,
      lastEventAt: null,
      becameAwareAt: 1_000,
      doraMajor: false,
      doraClassifiedAt: null,
      nis2Significant: false,
      nis2ClassifiedAt: null,
      milestones: {},
      ...overrides,
    });

    it('inserts a receipt once per replay key and keeps the exact body bytes', async () => {
      const first = receipt({ replayKey: 'id:abc' });
      const body = Buffer.from([0x7b, 0x00, 0xff, 0x7d]);
      expect(await store.transaction((r) => r.receipts.insert(first, body))).toBe(true);
      expect(await store.transaction((r) => r.receipts.insert(receipt({ replayKey: 'id:abc' }), body))).toBe(false);
      const found = await store.transaction((r) => r.receipts.findByReplayKey('t1', 's1', 'id:abc'));
      expect(found?.id).toBe(first.id);
      expect(await store.transaction((r) => r.receipts.body('t1', first.id))).toEqual(body);
      expect(await store.transaction((r) => r.receipts.count('t1'))).toBe(1);
    });

    it('scopes everything by tenant', async () => {
      const r1 = receipt({ tenant: 'a', replayKey: 'id:same' });
      const r2 = receipt({ tenant: 'b', replayKey: 'id:same' });
      expect(await store.transaction((r) => r.receipts.insert(r1, Buffer.from('{}')))).toBe(true);
      expect(await store.transaction((r) => r.receipts.insert(r2, Buffer.from('{}')))).toBe(true);
      expect(await store.transaction((r) => r.receipts.get('a', r2.id))).toBeUndefined();
      expect(await store.transaction((r) => r.incidents.insert(incident({ tenant: 'a' })))).toBe(true);
      expect(await store.transaction((r) => r.incidents.insert(incident({ tenant: 'b' })))).toBe(true);
      expect(await store.transaction((r) => r.incidents.insert(incident({ tenant: 'b' })))).toBe(false);
    });

    it('rolls back the whole unit of work when it throws', async () => {
      const r1 = receipt();
      await expect(
        store.transaction(async (r) => {
          await r.receipts.insert(r1, Buffer.from('{}'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.transaction((r) => r.receipts.get('t1', r1.id))).toBeUndefined();
    });

    it('guards event transitions so only one decision wins', async () => {
      const r1 = receipt();
      const e1 = event(r1.id);
      await store.transaction(async (r) => {
        await r.receipts.insert(r1, Buffer.from('{}'));
        await r.events.insert(e1);
      });
      const decide = (actor: string) =>
        store.transaction((r) => r.events.transition('t1', e1.id, 'pending_review', { state: 'promoted', actor, reason: 'ok', at: 2_000 }));
      const results = await Promise.all([decide('alice'), decide('bob'), decide('carol')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await store.transaction((r) => r.events.get('t1', e1.id));
      expect(stored?.state).toBe('promoted');
      expect(stored?.decidedBy).toBe(['alice', 'bob', 'carol'][results.indexOf(true)]);
    });

    it('increments counters atomically and never past the limit', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.transaction((r) => r.counters.incrementWithin('t1', 'budget', 0, 7))),
      );
      expect(results.filter((n) => n !== undefined)).toHaveLength(7);
      expect(await store.transaction((r) => r.counters.read('t1', 'budget', 0))).toBe(7);
      expect(await store.transaction((r) => r.counters.incrementWithin('t1', 'zero', 0, 0))).toBeUndefined();
      expect(await store.transaction((r) => r.counters.read('t1', 'zero', 0))).toBe(0);
    });

    it('updates incidents optimistically by version', async () => {
      const i1 = incident();
      await store.transaction((r) => r.incidents.insert(i1));
      const resolved = { ...i1.canonical, status: 'resolved' as const };
      expect(await store.transaction((r) => r.incidents.applyUpdate('t1', i1.id, 1, resolved, 5_000))).toBe(true);
      expect(await store.transaction((r) => r.incidents.applyUpdate('t1', i1.id, 1, resolved, 6_000))).toBe(false);
      const stored = await store.transaction((r) => r.incidents.get('t1', i1.id));
      expect(stored).toMatchObject({ version: 2, status: 'resolved', resolvedAt: 5_000, updatedAt: 5_000 });
    });

    it("only ever moves an incident's latest event time forward, and keeps it when an event carries none", async () => {
      const i1 = { ...incident(), lastEventAt: 10_000 };
      await store.transaction((r) => r.incidents.insert(i1));
      const latest = async () => (await store.transaction((r) => r.incidents.get('t1', i1.id)))!.lastEventAt;
      expect(await latest()).toBe(10_000);
      await store.transaction((r) => r.incidents.touch('t1', i1.id, 2, 12_000));
      expect(await latest()).toBe(12_000);
      await store.transaction((r) => r.incidents.touch('t1', i1.id, 3, 11_000));
      expect(await latest()).toBe(12_000);
      await store.transaction((r) => r.incidents.applyUpdate('t1', i1.id, 1, { ...i1.canonical, status: 'resolved' }, 4, null));
      expect(await latest()).toBe(12_000);
      await store.transaction((r) => r.incidents.applyUpdate('t1', i1.id, 2, { ...i1.canonical, status: 'open' }, 5, 13_000));
      expect(await latest()).toBe(13_000);
      const timeless = { ...incident(), id: 'inc-timeless', dedupeKey: 'k-timeless' };
      await store.transaction((r) => r.incidents.insert(timeless));
      await store.transaction((r) => r.incidents.touch('t1', timeless.id, 6, null));
      expect((await store.transaction((r) => r.incidents.get('t1', timeless.id)))!.lastEventAt).toBeNull();
    });

    it('keeps an append-only, hash-chained audit trail', async () => {
      for (const action of ['created', 'promoted', 'owner_set']) {
        await store.transaction((r) =>
          r.audit.append({ tenant: 't1', at: 1, actor: 'alice', action, subjectType: 'incident', subjectId: 'i1', details: { n: action } }),
        );
      }
      const entries = await store.transaction((r) => r.audit.forSubject('t1', 'incident', 'i1'));
      expect(entries.map((e) => e.action)).toEqual(['created', 'promoted', 'owner_set']);
      expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
      expect(await store.transaction((r) => r.audit.verifyChain('t1'))).toBeUndefined();
      await expect(store.transaction((r) => (r as any).audit.sql.run("UPDATE audit SET actor = 'mallory'"))).rejects.toThrow(/cannot be edited/);
      await expect(store.transaction((r) => (r as any).audit.sql.run('DELETE FROM audit'))).rejects.toThrow(/cannot be edited/);
      expect(await store.transaction((r) => r.audit.list('t1'))).toHaveLength(3);
    });

    it('chains several entries of one unit of work, for several tenants, after entries from other units', async () => {
      const entry = (tenant: string, action: string) => ({ tenant, at: 2, actor: 'system', action, subjectType: 'event', subjectId: `e-${action}` });
      await store.transaction((r) => r.audit.append(entry('chain-a', 'first')));
      await Promise.all([
        store.transaction(async (r) => {
          for (const action of ['a1', 'a2', 'a3']) {
            await r.audit.append(entry('chain-a', action));
            await r.audit.append(entry('chain-b', `b-${action}`));
          }
        }),
        store.transaction((r) => r.audit.append(entry('chain-a', 'concurrent'))),
      ]);
      await store.transaction((r) => r.audit.append(entry('chain-b', 'last')));
      expect(await store.transaction((r) => r.audit.list('chain-a'))).toHaveLength(5);
      expect(await store.transaction((r) => r.audit.list('chain-b'))).toHaveLength(4);
      expect(await store.transaction((r) => r.audit.verifyChain('chain-a'))).toBeUndefined();
      expect(await store.transaction((r) => r.audit.verifyChain('chain-b'))).toBeUndefined();
    });

    it('registers sources and toggles them with the first disable reason kept', async () => {
      const source = await store.transaction((r) => r.sources.ensure('t1', 's1', 'jira', 'Jira prod', 1));
      expect(source).toMatchObject({ enabled: true, provider: 'jira', disabledReason: null });
      expect(await store.transaction((r) => r.sources.disable('t1', 's1', 'flood', 2))).toBe(true);
      expect(await store.transaction((r) => r.sources.disable('t1', 's1', 'other', 3))).toBe(false);
      expect(await store.transaction((r) => r.sources.get('t1', 's1'))).toMatchObject({ enabled: false, disabledReason: 'flood', disabledAt: 2 });
      expect(await store.transaction((r) => r.sources.enable('t1', 's1', 4))).toBe(true);
      expect(await store.transaction((r) => r.sources.get('t1', 's1'))).toMatchObject({ enabled: true, disabledReason: null });
    });

    it('deletes only unattached old events and their orphaned receipts', async () => {
      const old = receipt({ receivedAt: 10 });
      const kept = receipt({ receivedAt: 10 });
      await store.transaction(async (r) => {
        await r.receipts.insert(old, Buffer.from('{}'));
        await r.receipts.insert(kept, Buffer.from('{}'));
        await r.events.insert(event(old.id, { state: 'rejected', receivedAt: 10 }));
        await r.events.insert(event(kept.id, { state: 'promoted', receivedAt: 10, incidentId: 'i1' }));
      });
      const removed = await store.transaction((r) => r.events.deleteUnattachedBefore('t1', ['rejected', 'quarantined'], 100, 1000));
      expect(removed).toBe(1);
      expect(await store.transaction((r) => r.receipts.deleteOrphansBefore('t1', 100))).toBe(1);
      expect(await store.transaction((r) => r.receipts.get('t1', kept.id))).toBeDefined();
    });
  });
}
