import { DeliveryWorker, destinationHealth, destinationSchema, enqueueDelivery, hostPolicySchema, type DeliveryResult, type DestinationConfig, type DestinationConfigInput, type HostPolicyInput } from '../../core/delivery';
import type { IncidentRecord } from '../../core/store/records';
import type { Store } from '../../core/store/store';
import type { IntakeStoreNode } from './intake-store-settings';
import { finishClose, finishInput, type Node, type NodeMessageInFlow } from './node-red-types';
import type { DeliveryTargetNode } from './delivery-targets';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Stable across restarts of this Node-RED instance (so it takes back its own leases at once) but distinct
 * between instances running the same flow (so one instance's restart never releases another's deliveries).
 */
function instanceWorkerId(nodeId: string): string {
  const instance = createHash('sha256').update(`${hostname()}\u0000${process.cwd()}\u0000${process.argv.join(' ')}`).digest('hex').slice(0, 12);
  return `node-red:${instance}:${nodeId}`;
}
import { isReplayRequest, replayDeadLetters } from './replay-dead-letters';
import { redacting, storeErrorText } from './store-error-text';

const STATUS_REFRESH_MS = 5_000;

function isIncident(value: unknown): value is IncidentRecord {
  const candidate = value as Partial<IncidentRecord> | null;
  return typeof candidate?.id === 'string' && typeof candidate.tenant === 'string' && typeof candidate.version === 'number' && typeof candidate.canonical === 'object';
}

/** The incident a message carries: `msg.payload` as an intake or review node sends it, or `msg.incidentId` to load. */
async function incidentFrom(store: Store, msg: NodeMessageInFlow, tenant: string): Promise<IncidentRecord> {
  if (isIncident(msg.payload)) return msg.payload;
  const id = typeof msg.incidentId === 'string' ? msg.incidentId : undefined;
  if (!id) throw new Error('expected an incident in msg.payload (from an incident intake or review node) or msg.incidentId');
  const incident = await store.transaction((r) => r.incidents.get(tenant, id));
  if (!incident) throw new Error(`incident ${id} was not found in tenant ${tenant}`);
  return incident;
}

/**
 * The shared body of the delivery nodes (incident.io out, webhook out): every input message enqueues the
 * incident's current version in the durable outbox; a worker runs while the node is deployed, and every
 * attempt's result leaves on the output. Status shows the queue depth and dead letters. A message with
 * `topic: 'replay'` replays the node's dead letters instead (progress in the status).
 */
export function runDeliveryNode(node: Node, storeNode: IntakeStoreNode | null, input: DestinationConfigInput, hostPolicy: HostPolicyInput): void {
  const parsed = destinationSchema.safeParse(input);
  const policy = hostPolicySchema.safeParse(hostPolicy);
  if (!parsed.success || !policy.success || !storeNode) {
    const issues = [...(parsed.error?.issues ?? []), ...(policy.error?.issues.map((issue) => ({ ...issue, path: ['hosts', ...issue.path] })) ?? [])];
    const problem = !storeNode ? 'no intake store' : issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    node.status({ fill: 'red', shape: 'ring', text: problem.slice(0, 60) });
    if (issues.length > 0) node.error(`incident-intake delivery: ${problem}`);
    node.on('input', (_msg: NodeMessageInFlow, _send: unknown, done: (error?: Error) => void) => done(new Error(problem)));
    return;
  }
  const destination: DestinationConfig = parsed.data;
  (node as DeliveryTargetNode).deliveryTarget = { tenant: destination.tenant, id: destination.id, kind: destination.kind };
  let worker: DeliveryWorker | undefined;
  const started = storeNode.store().then(async (store) => {
    worker = new DeliveryWorker({
      store,
      destinations: [destination],
      hostPolicy: policy.data,
      workerId: instanceWorkerId(node.id),
      onResult: (result: DeliveryResult) => {
        node.send({ topic: result.status, incidentId: result.incidentId, deliveryId: result.deliveryId, payload: result });
        // A status read that fails (the database just went away) must not become an uncaught rejection: Node-RED exits on those.
        void refreshStatus().catch(() => undefined);
      },
      onError: (error) => node.warn(`delivery worker: ${storeErrorText(error, storeNode)}`),
    });
    await worker.start();
    return store;
  });
  started.catch((error: unknown) => node.status({ fill: 'red', shape: 'ring', text: `store: ${storeErrorText(error, storeNode).slice(0, 50)}` }));

  const refreshStatus = async () => {
    const health = await destinationHealth(await started, destination.tenant, destination.id);
    const fill = !health.enabled || health.deadLettered > 0 ? 'red' : health.scheduledRetries > 0 ? 'yellow' : 'green';
    const text = `${health.active} queued · ${health.delivered} delivered · ${health.deadLettered} dead${health.enabled ? '' : ' · disabled'}`;
    node.status({ fill, shape: 'dot', text });
  };
  const timer = setInterval(() => void refreshStatus().catch(() => undefined), STATUS_REFRESH_MS);
  timer.unref();

  node.on('input', (msg: NodeMessageInFlow, send: (msg: NodeMessageInFlow) => void, done: (error?: Error) => void) => {
    const work = async () => {
      const store = await started;
      if (isReplayRequest(msg)) {
        send(await replayDeadLetters(node, store, destination, msg));
        worker?.wake();
        return refreshStatus();
      }
      const incident = await incidentFrom(store, msg, destination.tenant);
      await enqueueDelivery(store, { destination, incident });
      worker?.wake();
      await refreshStatus();
    };
    finishInput(redacting(work(), storeNode), done);
  });
  node.on('close', (_removed: boolean, done: () => void) => {
    clearInterval(timer);
    finishClose(node, redacting(started.then(() => worker?.stop()), storeNode), done);
  });
}
