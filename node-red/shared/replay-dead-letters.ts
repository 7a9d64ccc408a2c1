import { replayInBatches } from '../../core/operations/replay-in-batches';
import type { DestinationConfig } from '../../core/delivery';
import type { Store } from '../../core/store/store';
import type { Node, NodeMessageInFlow } from './node-red-types';

/** A delivery node's input asks it to replay its own dead letters: `msg.topic = 'replay'` (optionally `msg.ids`). */
export function isReplayRequest(msg: NodeMessageInFlow): boolean {
  return msg.topic === 'replay';
}

/** Replays in batches, showing `replaying n/m` in the node status; returns the message to send on. */
export async function replayDeadLetters(node: Node, store: Store, destination: DestinationConfig, msg: NodeMessageInFlow): Promise<NodeMessageInFlow> {
  const ids = Array.isArray(msg.ids) ? msg.ids.filter((id): id is string => typeof id === 'string') : undefined;
  node.status({ fill: 'blue', shape: 'ring', text: 'replaying…' });
  const result = await replayInBatches(store, {
    tenant: destination.tenant,
    destinationId: destination.id,
    ...(ids && { ids }),
    onProgress: ({ replayed, total }) => node.status({ fill: 'blue', shape: 'ring', text: `replaying ${replayed}${total === undefined ? '' : `/${total}`}` }),
  });
  return { ...msg, topic: 'replayed', payload: { destinationId: destination.id, replayed: result.replayed } };
}
