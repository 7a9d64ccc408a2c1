import { createHash } from 'node:crypto';
import type { DeliveryResult } from '../../core/delivery/delivery-result';
import { destinationSchema, type DestinationConfig, type DestinationConfigInput } from '../../core/delivery/destination-config';
import { DeliveryWorker } from '../../core/delivery/worker';
import type { Store } from '../../core/store/store';
import { acquireStore, type StoreLease } from './store-cache';

type Listener = (result: DeliveryResult) => void;

interface Destination {
  fingerprint: string;
  config: DestinationConfig;
  worker?: DeliveryWorker;
}

/** Per store: the destinations delivery nodes have configured in this process, and the running workers. */
interface Hub {
  destinations: Map<string, Destination>;
  listeners: Set<Listener>;
  lease?: StoreLease;
  /** Set while the first listener opens the store, so concurrent activations share one lease. */
  opening?: Promise<void>;
}

const hubs = new Map<string, Hub>();

function hubFor(location: string): Hub {
  let hub = hubs.get(location);
  if (!hub) {
    hub = { destinations: new Map(), listeners: new Set() };
    hubs.set(location, hub);
  }
  return hub;
}

const keyOf = (config: DestinationConfig) => `${config.tenant}\u0000${config.id}`;
const fingerprintOf = (config: DestinationConfig) => createHash('sha256').update(JSON.stringify(config)).digest('hex');

function startWorker(hub: Hub, destination: Destination): void {
  if (!hub.lease) return;
  destination.worker = new DeliveryWorker({
    store: hub.lease.store,
    destinations: [destination.config],
    onResult: (result) => hub.listeners.forEach((listener) => listener(result)),
  });
  void destination.worker.start();
}

/**
 * Destination configs hold secrets and are never stored, so delivery nodes register theirs here each time they
 * run; running workers pick them up. After a restart, retries for a destination resume once a node delivering
 * to it has run again.
 */
export async function registerDestination(location: string, input: DestinationConfigInput): Promise<DestinationConfig> {
  const config = destinationSchema.parse(input);
  const hub = hubFor(location);
  const fingerprint = fingerprintOf(config);
  const existing = hub.destinations.get(keyOf(config));
  if (existing?.fingerprint === fingerprint) return existing.config;
  const destination: Destination = { fingerprint, config };
  hub.destinations.set(keyOf(config), destination);
  await existing?.worker?.stop();
  startWorker(hub, destination);
  return config;
}

/** Whether a Delivery Worker Trigger runs the outbox for this store in this process. */
export function isDelivering(location: string): boolean {
  return hubs.get(location)?.lease !== undefined;
}

/**
 * Sends what is due for one destination: a running worker is woken; without one, a single round runs here and
 * its results are returned (later retries then wait for a Delivery Worker Trigger).
 */
export async function deliverDue(location: string, store: Store, config: DestinationConfig): Promise<DeliveryResult[]> {
  const running = hubs.get(location)?.destinations.get(keyOf(config))?.worker;
  if (running) {
    running.wake();
    return [];
  }
  const worker = new DeliveryWorker({ store, destinations: [config] });
  try {
    return await worker.runOnce();
  } finally {
    await worker.stop();
  }
}

/** Runs the outbox for a store until the returned stop function is called; every result goes to `listener`. */
export async function startDelivering(location: string, listener: Listener): Promise<() => Promise<void>> {
  const hub = hubFor(location);
  hub.listeners.add(listener);
  if (!hub.lease) {
    hub.opening ??= acquireStore(location)
      .then((lease) => {
        hub.lease = lease;
        hub.destinations.forEach((destination) => startWorker(hub, destination));
      })
      .finally(() => (hub.opening = undefined));
    try {
      await hub.opening;
    } catch (error) {
      hub.listeners.delete(listener);
      throw error;
    }
  }
  return async () => {
    if (!hub.listeners.delete(listener) || hub.listeners.size > 0 || !hub.lease) return;
    const lease = hub.lease;
    hub.lease = undefined;
    await Promise.all([...hub.destinations.values()].map(async (destination) => {
      const worker = destination.worker;
      destination.worker = undefined;
      await worker?.stop();
    }));
    await lease.release();
  };
}
