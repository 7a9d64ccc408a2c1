import { DeliveryWorker, enqueueDelivery, type DeliveryResult, type DeliveryWorkerOptions, type DestinationConfigInput } from '../../../core/delivery';
import { openSqliteStore, type Store } from '../../../core/store';
import type { IncidentRecord } from '../../../core/store/records';
import { FakeClock } from './fake-clock';

export const START = Date.parse('2024-06-10T08:40:00.000Z');

export interface Harness {
  store: Store;
  clock: FakeClock;
  worker: DeliveryWorker;
  results: DeliveryResult[];
  errors: unknown[];
  enqueue(incident: IncidentRecord, destination?: DestinationConfigInput): Promise<string>;
  close(): Promise<void>;
}

/**
 * An in-memory store, fake time (no jitter: the random source sits in the middle) and a worker over the given
 * destinations. Tests drive it with `worker.runOnce()` and `clock.advance()`.
 */
export async function harness(destinations: DestinationConfigInput[], options: Partial<DeliveryWorkerOptions> = {}): Promise<Harness> {
  const store = options.store ?? (await openSqliteStore(':memory:'));
  const clock = new FakeClock(START);
  const results: DeliveryResult[] = [];
  const errors: unknown[] = [];
  const worker = new DeliveryWorker({
    store,
    destinations,
    clock,
    timers: clock,
    random: () => 0.5,
    onResult: (result) => void results.push(result),
    onError: (error) => void errors.push(error),
    ...options,
  });
  return {
    store,
    clock,
    worker,
    results,
    errors,
    enqueue: async (incident, destination = destinations[0]!) => {
      const { delivery } = await enqueueDelivery(store, { destination: destination as { id: string; kind: string }, incident }, { clock });
      return delivery.id;
    },
    close: async () => {
      await worker.stop();
      await store.close();
    },
  };
}
