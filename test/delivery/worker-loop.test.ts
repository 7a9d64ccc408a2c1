import { afterEach, describe, expect, it } from 'vitest';
import { deliveryDetails, destinationHealth, type DestinationConfigInput } from '../../core/delivery';
import { eventually } from './support/fake-clock';
import { harness, START, type Harness } from './support/harness';
import { incidentRecord } from './support/incidents';
import { WebhookReceiver } from './support/webhook-receiver';

const MINUTE = 60_000;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setUp(options: Parameters<typeof harness>[1] = {}, policy: Record<string, unknown> = {}): Promise<{ h: Harness; receiver: WebhookReceiver; config: DestinationConfigInput }> {
  const receiver = await WebhookReceiver.start();
  const config = { kind: 'webhook', id: 'hook', tenant: 't1', url: `${receiver.url}/in`, signing: { scheme: 'none' }, policy } as DestinationConfigInput;
  const h = await harness([config], options);
  cleanup.push(() => receiver.close(), () => h.close());
  return { h, receiver, config };
}

describe('the worker loop', () => {
  it('resumes due work on start and picks retries up as (fake) time passes', async () => {
    const { h, receiver } = await setUp({ pollIntervalMs: 1_000 });
    receiver.respondWith({ status: 503 });
    await h.enqueue(incidentRecord());
    await h.worker.start();
    h.clock.advance(0);
    await eventually(() => h.results.length === 1);
    expect(h.results[0]).toMatchObject({ status: 'retry_scheduled', nextAttemptAt: START + MINUTE });
    await h.clock.advanceSettled(MINUTE - 1_000);
    expect(receiver.requests).toHaveLength(1);
    await h.clock.advanceSettled(1_000);
    await eventually(() => h.results.length === 2);
    expect(h.results[1]).toMatchObject({ status: 'delivered', attempt: 2 });
  });

  it('delivers newly enqueued work when woken, without waiting for the poll', async () => {
    const { h } = await setUp({ pollIntervalMs: 3_600_000 });
    await h.worker.start();
    h.clock.advance(0);
    await h.enqueue(incidentRecord());
    h.worker.wake();
    h.clock.advance(0);
    await eventually(() => h.results.length === 1);
  });

  it('waits for the attempt in flight when stopped', async () => {
    const { h, receiver } = await setUp();
    receiver.respondWith({ delayMs: 150, then: { status: 200 } });
    await h.enqueue(incidentRecord());
    await h.worker.start();
    h.clock.advance(0);
    await eventually(() => receiver.requests.length === 1);
    await h.worker.stop();
    expect(h.results.map((result) => result.status)).toEqual(['delivered']);
    expect((await destinationHealth(h.store, 't1', 'hook')).delivered).toBe(1);
  });

  it('retries, with the same key, a delivery whose worker died mid-attempt once its lease expires', async () => {
    const { h, receiver } = await setUp({}, { timeoutMs: 10_000 });
    const id = await h.enqueue(incidentRecord());
    const [abandoned] = await h.store.transaction((r) =>
      r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now: START, limit: 1, owner: 'dead-worker', leaseExpiresAt: START + 40_000, perIncidentOrder: false }),
    );
    expect(await h.worker.runOnce()).toEqual([]);
    h.clock.advance(40_000);
    const [result] = await h.worker.runOnce();
    expect(result).toMatchObject({ deliveryId: id, status: 'delivered', attempt: 2, idempotencyKey: abandoned!.delivery.idempotencyKey });
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(abandoned!.delivery.idempotencyKey);
    const { attempts } = (await deliveryDetails(h.store, 't1', id))!;
    expect(attempts.map((attempt) => [attempt.number, attempt.outcome, attempt.reason])).toEqual([
      [1, 'retry', 'lease_expired'],
      [2, 'success', 'http_204'],
    ]);
  });

  it('takes back its own leases at once when restarted under a stable worker id', async () => {
    const { h, config } = await setUp();
    await h.enqueue(incidentRecord());
    await h.store.transaction((r) =>
      r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now: START, limit: 1, owner: 'host-1', leaseExpiresAt: START + 40_000, perIncidentOrder: false }),
    );
    const restarted = await harness([config], { store: h.store, workerId: 'host-1' });
    await restarted.worker.start();
    restarted.clock.advance(0);
    await eventually(() => restarted.results.length === 1);
    expect(restarted.results[0]).toMatchObject({ status: 'delivered', attempt: 2 });
    await restarted.worker.stop();
  });

  it('dead-letters instead of sending again when the worker died on the last allowed attempt', async () => {
    const { h, receiver } = await setUp({}, { maxAttempts: 1 });
    await h.enqueue(incidentRecord());
    await h.store.transaction((r) =>
      r.deliveries.claimDue({ tenant: 't1', destinationId: 'hook', now: START, limit: 1, owner: 'dead-worker', leaseExpiresAt: START + 1, perIncidentOrder: false }),
    );
    h.clock.advance(1);
    expect((await h.worker.runOnce())[0]).toMatchObject({ status: 'dead_letter', reason: 'attempts_exhausted' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('keeps going when the host’s result handler throws', async () => {
    const errors: unknown[] = [];
    const { h } = await setUp({ onResult: () => Promise.reject(new Error('downstream flow failed')), onError: (error) => void errors.push(error) });
    await h.enqueue(incidentRecord());
    await h.enqueue(incidentRecord({ id: 'inc_2' }));
    expect(await h.worker.runOnce()).toHaveLength(2);
    expect(errors.map((error) => (error as Error).message)).toEqual(['downstream flow failed', 'downstream flow failed']);
  });

  it('does not let one slow destination take every slot', async () => {
    const slow = await WebhookReceiver.start();
    const fast = await WebhookReceiver.start();
    slow.alwaysRespond({ delayMs: 100, then: { status: 200 } });
    const destinations = [
      { kind: 'webhook', id: 'slow', tenant: 't1', url: slow.url, signing: { scheme: 'none' } },
      { kind: 'webhook', id: 'fast', tenant: 't1', url: fast.url, signing: { scheme: 'none' } },
    ] as DestinationConfigInput[];
    const h = await harness(destinations, { concurrency: 4, maxInFlightPerDestination: 2 });
    cleanup.push(() => slow.close(), () => fast.close(), () => h.close());
    for (let n = 0; n < 6; n++) await h.enqueue(incidentRecord({ id: `slow_${n}` }), destinations[0]);
    await h.enqueue(incidentRecord({ id: 'fast_0' }), destinations[1]);
    const first = await h.worker.runOnce();
    expect(first.map((result) => result.destinationId).sort()).toEqual(['fast', 'slow', 'slow']);
  });
});
