import type { DeliveryTarget } from '../../core/delivery/delivery-target';
import type { Node, NodeAPI } from './node-red-types';

/** A delivery node (incident.io out, webhook out) advertises the destination it serves. */
export interface DeliveryTargetNode extends Node {
  deliveryTarget?: DeliveryTarget;
}

/**
 * The destinations of the delivery nodes wired directly to one output. The intake and review nodes enqueue for
 * them in the same transaction as the incident change, so a crash between the two nodes loses nothing; the
 * delivery node's own enqueue of the message is then a no-op (same idempotency key).
 */
export function wiredDeliveryTargets(RED: NodeAPI, wires: string[][] | undefined, output: number): DeliveryTarget[] {
  return (wires?.[output] ?? [])
    .map((id) => (RED.nodes.getNode(id) as DeliveryTargetNode | null)?.deliveryTarget)
    .filter((target): target is DeliveryTarget => target !== undefined);
}
