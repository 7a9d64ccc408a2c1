import type { DeliveryTarget } from '../../core/delivery/delivery-target';
import { wiredDeliveryTargets } from '../shared/delivery-targets';
import type { NodeAPI } from '../shared/node-red-types';

interface ReviewNodeDef {
  type: string;
  store?: string;
  action?: string;
  wires?: string[][];
}

/**
 * Where a promotion in a store's console is delivered: the delivery nodes wired to the output of the flows'
 * *promote* review nodes on that store — what the same promotion through the flow would enqueue.
 */
export function promotionTargets(RED: NodeAPI, storeId: string): DeliveryTarget[] {
  const targets = new Map<string, DeliveryTarget>();
  RED.nodes.eachNode((node) => {
    const def = node as unknown as ReviewNodeDef;
    if (def.type !== 'incident-review' || def.store !== storeId || def.action !== 'promote') return;
    for (const target of wiredDeliveryTargets(RED, def.wires, 0)) targets.set(`${target.tenant}\u0000${target.kind}\u0000${target.id}`, target);
  });
  return [...targets.values()];
}
