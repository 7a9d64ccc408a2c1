import { afterEach, describe, expect, it } from 'vitest';
import { deliveryDetails, destinationHealth, type DestinationConfigInput, type HttpTransport } from '../../core/delivery';
import { systemClock } from '../../core/clock';
import { systemTimers } from '../../core/delivery/timers';
import { eventually } from './support/fake-clock';
import { GroupCommit } from '../../core/delivery/group-commit';
import { openSqliteStore, type Store } from '../../core/store';
import { harness, START } from './support/harness';
import { incidentRecord } from './support/incidents';

const config = { kind: 'webhook', id: 'hook', tenant: 't1', url: 'http://receiver.test/in', signing: { scheme: 'none' } } as DestinationConfigInput;

/** Answers 204 to everything; `onSend` runs before each answer. */
function fakeTransport(onSend: () => void = () => undefined): HttpTransport & { sent: number } {
  const transport = {
    sent: 0,
    send: async () => {
      transport.sent++;
      onSend();
      return { status: 204, headers: {}, body: Buffer.alloc(0), bodyTruncated: false };
    },
    close: async () => undefined,
  };
  return transport;
}

/** A store that counts transactions and can be told to fail them. */
function instrumented(store: Store): Store & { transactions: number; failing: boolean } {
  const wrapper = {
    dialect: store.dialect,
    transactions: 0,
    failing: false,
    transaction: <T>(work: Parameters<Store['transaction']>[0]) => {
      wrapper.transactions++;
      return wrapper.failing ? Promise.reject(new Error('store lost')) : (store.transaction(work) as Promise<T>);
    },
    close: () => store.close(),
  };
  return wrapper as Store & { transactions: number; failing: boolean };
}

/** A store whose record transactions (those completing deliveries) commit, but answer only once `open()` is called. */
function heldRecords(store: Store): { store: Store; open: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held: Store = {
    dialect: store.dialect,
    close: () => store.close(),
    transaction: async (work) => {
      let records = false;
      const result = await store.transaction((repositories) => {
        const deliveries = new Proxy(repositories.deliveries, {
          get: (target, key) => {
            if (key === 'completeMany') records = true;
            const value = Reflect.get(target, key) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        return work({ ...repositories, deliveries });
      });
      if (records) await gate;
      return result;
    },
  };
  return { store: held, open };
}

const incidents = (count: number) => Array.from({ length: count }, (_, n) => incidentRecord({ id: `inc_${n}` }));

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

describe('group commit', () => {
  it('commits items submitted in the same turn together, answering each only after the commit', async () => {
    const batches: number[][] = [];
    let committed = false;
    const group = new GroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      committed = true;
      return items.map((item) => item * 10);
    });
    const answers = [1, 2, 3].map((item) => group.submit(item).then((output) => ({ output, committed })));
    expect(await Promise.all(answers)).toEqual([10, 20, 30].map((output) => ({ output, committed: true })));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects what arrives during a commit into the next one', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [...items];
    });
    const first = group.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, group.submit(2), group.submit(3)]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('commits the items of a failed batch one by one, so only the bad one fails', async () => {
    const group = new GroupCommit<number, number>(async (items) => {
      if (items.includes(2)) throw new Error(`refused ${items.join(',')}`);
      return [...items];
    });
    const settled = await Promise.allSettled([1, 2, 3].map((item) => group.submit(item)));
    expect(settled.map((entry) => (entry.status === 'fulfilled' ? entry.value : String(entry.reason)))).toEqual([1, 'Error: refused 2', 3]);
  });
});

describe('the worker records attempts that end together in one transaction', () => {
  it('delivers a claimed batch with two transactions, and keeps the last result per destination', async () => {
    const store = instrumented(await openSqliteStore(':memory:'));
    const h = await harness([config], { store, transport: fakeTransport(), concurrency: 8 });
    cleanup.push(() => h.close());
    const ids = [];
    for (const incident of incidents(8)) ids.push(await h.enqueue(incident));
    await h.worker.runOnce(); // registers the destination and delivers the first eight
    for (const incident of incidents(8)) ids.push(await h.enqueue({ ...incident, version: 2 }));
    store.transactions = 0;
    const results = await h.worker.runOnce();
    expect(results.map((result) => result.status)).toEqual(Array(8).fill('delivered'));
    expect(store.transactions).toBe(2); // one claim, one record
    const health = await destinationHealth(store, 't1', 'hook');
    expect(health.delivered).toBe(16);
    expect(health.lastResult).toMatchObject({ status: 'delivered', deliveryId: results[7]!.deliveryId });
    for (const id of ids) {
      const details = (await deliveryDetails(store, 't1', id))!;
      expect(details.delivery.state).toBe('delivered');
      expect(details.attempts.map((attempt) => attempt.reason)).toEqual(['http_204']);
    }
  });

  it('reports nothing when the record cannot be committed, and the claimed batch is retried after the lease, not lost', async () => {
    const store = instrumented(await openSqliteStore(':memory:'));
    const transport = fakeTransport(() => (store.failing = true));
    const first = await harness([config], { store, transport, concurrency: 4, workerId: 'crashed', leaseMarginMs: 0 });
    const ids = [];
    for (const incident of incidents(4)) ids.push(await first.enqueue(incident));
    await expect(first.worker.runOnce()).rejects.toThrow('store lost');
    expect(transport.sent).toBe(4);
    expect(first.results).toEqual([]);
    store.failing = false;
    const unfinished = await store.transaction((r) => r.deliveries.list('t1'));
    expect(unfinished.map((delivery) => [delivery.state, delivery.leaseOwner])).toEqual(Array(4).fill(['in_flight', 'crashed']));

    const second = await harness([config], { store, transport: fakeTransport(), concurrency: 4 });
    cleanup.push(() => second.close());
    second.clock.advance(2 * 10_000);
    const results = await second.worker.runOnce();
    expect(results.map((result) => [result.deliveryId, result.status, result.attempt])).toEqual(ids.map((id) => [id, 'delivered', 2]));
    for (const id of ids) {
      const { attempts } = (await deliveryDetails(store, 't1', id))!;
      expect(attempts.map((attempt) => [attempt.number, attempt.reason])).toEqual([
        [1, 'lease_expired'],
        [2, 'http_204'],
      ]);
    }
    expect(second.clock.now()).toBe(START + 20_000);
  });


  it('frees a request slot when the answer is in, and claims no more once as many again wait for their record', async () => {
    const { store, open } = heldRecords(await openSqliteStore(':memory:'));
    const transport = fakeTransport();
    const h = await harness([config], { store, transport, concurrency: 1, clock: systemClock, timers: systemTimers, pollIntervalMs: 5 });
    cleanup.push(() => h.close());
    for (const incident of incidents(3)) await h.enqueue(incident);
    await h.worker.start();
    await eventually(() => transport.sent === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(transport.sent).toBe(2); // one slot, plus one attempt waiting for its record: the third waits
    expect(h.results).toEqual([]); // nothing is reported before its record is in
    open();
    await eventually(() => h.results.length === 3);
    expect(h.results.map((result) => result.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(transport.sent).toBe(3);
  });


  it('claims again once a quarter of the slots is free, not after every answer', async () => {
    const answers: Array<() => void> = [];
    const transport: HttpTransport & { sent: number } = {
      sent: 0,
      send: () => {
        transport.sent++;
        return new Promise((resolve) => answers.push(() => resolve({ status: 204, headers: {}, body: Buffer.alloc(0), bodyTruncated: false })));
      },
      close: async () => undefined,
    };
    const h = await harness([config], { transport, concurrency: 8, clock: systemClock, timers: systemTimers, pollIntervalMs: 5 });
    cleanup.push(async () => {
      for (const answer of answers) answer();
      await h.close();
    });
    for (const incident of incidents(12)) await h.enqueue(incident);
    await h.worker.start();
    await eventually(() => transport.sent === 8);
    answers[0]!();
    await eventually(() => h.results.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transport.sent).toBe(8); // one free slot of eight: no claim yet
    answers[1]!();
    await eventually(() => transport.sent === 10); // two free: both claimed together
    for (const answer of answers.slice(2)) answer();
    await eventually(() => transport.sent === 12);
    answers[10]!();
    answers[11]!();
    await eventually(() => h.results.length === 12);
  });
});
