import { createHash } from 'node:crypto';
import type { DeliveryResult } from '../../core/delivery/delivery-result';
import { destinationSchema, type DestinationConfig, type DestinationConfigInput } from '../../core/delivery/destination-config';
import type { DestinationSource } from '../../core/delivery/destination-set';
import type { DestinationVault } from '../../core/delivery/destination-vault';
import type { HostPolicyInput } from '../../core/delivery/host-policy';
import { sealDestination, sealedDestinations } from '../../core/delivery/sealed-destinations';
import { DeliveryWorker } from '../../core/delivery/worker';
import type { Store } from '../../core/store/store';
import { acquireStore, type StoreLease } from './store-cache';

type Listener = (result: DeliveryResult) => void;

export interface DeliveringOptions {
  /** Also serve every destination sealed in the store with these keys (the store credential's outbox key). */
  vault?: DestinationVault;
  /** Problems of the worker itself: a sealed destination that does not open, the store unreachable. */
  onError?: (error: unknown) => void;
  /** Which hosts the worker may reach (the store credential's delivery hosts); special ranges refused when absent. */
  hostPolicy?: HostPolicyInput;
}

interface Destination {
  fingerprint: string;
  config: DestinationConfig;
  /** The key id it was last sealed into the store with, in this process. */
  sealedWith?: string;
}

interface Subscriber {
  onResult: Listener;
  onError?: (error: unknown) => void;
}

/** Per store: the destinations delivery nodes have configured in this process, and the worker while one runs. */
interface Hub {
  destinations: Map<string, Destination>;
  subscribers: Set<Subscriber>;
  lease?: StoreLease;
  worker?: DeliveryWorker;
  /** The sealed destinations' source, while a Delivery Worker Trigger with an outbox key runs. */
  sealed?: DestinationSource;
  /** Set while the first subscriber opens the store, so concurrent activations share one lease. */
  opening?: Promise<void>;
}

const hubs = new Map<string, Hub>();

function hubFor(location: string): Hub {
  let hub = hubs.get(location);
  if (!hub) {
    hub = { destinations: new Map(), subscribers: new Set() };
    hubs.set(location, hub);
  }
  return hub;
}

const keyOf = (config: DestinationConfig) => `${config.tenant}\u0000${config.id}`;
const fingerprintOf = (config: DestinationConfig) => createHash('sha256').update(JSON.stringify(config)).digest('hex');

/** This process's destinations first: they are the freshest, and a sealed one with the same id is then skipped. */
function hubSource(hub: Hub): DestinationSource {
  return async (store, report) => {
    const own = [...hub.destinations.values()].map((destination) => destination.config);
    return hub.sealed ? [...own, ...(await hub.sealed(store, report))] : own;
  };
}

/**
 * Delivery nodes register their destination here each time they run, so the worker in this process serves it.
 * With an outbox key they also seal it into the store (once per config and key in this process), so that a
 * worker in any process holding the key serves it, after a restart too.
 */
export async function registerDestination(location: string, store: Store, input: DestinationConfigInput, vault?: DestinationVault): Promise<DestinationConfig> {
  const config = destinationSchema.parse(input);
  const hub = hubFor(location);
  const fingerprint = fingerprintOf(config);
  const existing = hub.destinations.get(keyOf(config));
  const known = existing?.fingerprint === fingerprint;
  if (known && (!vault || existing.sealedWith === vault.sealingKeyId)) return existing.config;
  if (vault) await sealDestination(store, vault, config);
  hub.destinations.set(keyOf(config), { fingerprint, config, sealedWith: vault?.sealingKeyId });
  if (!known) hub.worker?.reloadDestinations();
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
export async function deliverDue(location: string, store: Store, config: DestinationConfig, hostPolicy: HostPolicyInput = {}): Promise<DeliveryResult[]> {
  const running = hubs.get(location)?.worker;
  if (running) {
    running.wake();
    return [];
  }
  const worker = new DeliveryWorker({ store, destinations: [config], hostPolicy });
  try {
    return await worker.runOnce();
  } finally {
    await worker.stop();
  }
}

function startWorker(hub: Hub, lease: StoreLease, hostPolicy: HostPolicyInput): void {
  const worker = new DeliveryWorker({
    store: lease.store,
    hostPolicy,
    destinationSource: hubSource(hub),
    onResult: (result) => hub.subscribers.forEach((subscriber) => subscriber.onResult(result)),
    onError: (error) => hub.subscribers.forEach((subscriber) => subscriber.onError?.(error)),
  });
  hub.worker = worker;
  worker.start().catch((error: unknown) => hub.subscribers.forEach((subscriber) => subscriber.onError?.(error)));
}

async function open(hub: Hub, location: string, hostPolicy: HostPolicyInput): Promise<void> {
  hub.opening ??= acquireStore(location)
    .then((lease) => {
      hub.lease = lease;
      startWorker(hub, lease, hostPolicy);
    })
    .finally(() => (hub.opening = undefined));
  await hub.opening;
}

async function close(hub: Hub): Promise<void> {
  const { lease, worker } = hub;
  hub.lease = undefined;
  hub.worker = undefined;
  hub.sealed = undefined;
  await worker?.stop();
  await lease?.release();
}

/**
 * Runs the outbox for a store until the returned stop function is called; every result goes to `listener`.
 * With a vault, every destination sealed in the store is served as well, including ones sealed later. The
 * worker follows the host policy of the subscriber that started it (one worker per store and process).
 */
export async function startDelivering(location: string, listener: Listener, options: DeliveringOptions = {}): Promise<() => Promise<void>> {
  const hub = hubFor(location);
  const subscriber: Subscriber = { onResult: listener, onError: options.onError };
  hub.subscribers.add(subscriber);
  try {
    if (!hub.lease) await open(hub, location, options.hostPolicy ?? {});
  } catch (error) {
    hub.subscribers.delete(subscriber);
    throw error;
  }
  if (options.vault && !hub.sealed) {
    hub.sealed = sealedDestinations(options.vault);
    hub.worker?.reloadDestinations();
  }
  return async () => {
    if (!hub.subscribers.delete(subscriber) || hub.subscribers.size > 0 || !hub.lease) return;
    await close(hub);
  };
}
