import type { FunctionsBase, INodeParameters, NodeTypeAndVersion } from 'n8n-workflow';
import type { DeliveryTarget } from '../../core/delivery/delivery-target';
import { signedWebhookDestinationId } from '../SignedWebhook/destination-id';

type Context = Pick<FunctionsBase, 'getNode' | 'getChildNodes' | 'getParentNodes'>;

export interface WiredTargets {
  targets: DeliveryTarget[];
  /** Delivery nodes wired directly that cannot be known before their execution (an expression in a field). */
  skipped: string[];
}

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.startsWith('=');

/**
 * The destinations of this package's delivery nodes (incident.io, Signed Webhook) wired directly after the
 * node, as Node-RED's intake reads its wires. The trigger, Submit and Promote enqueue for them in the same
 * transaction as the incident change, so an execution that never runs (a queue-mode worker killed, Redis
 * down) loses no delivery; the delivery node's own enqueue is then a no-op (same idempotency key).
 * n8n offers no per-output connection lookup, so every direct child counts: only incidents are enqueued,
 * and items of the other outputs are not incidents. A node whose Destination ID, Tenant (or, for an unnamed
 * Signed Webhook, URL) is an expression is only known in its execution, and is left to it.
 */
export function wiredDeliveryTargets(context: Context): WiredTargets {
  const self = context.getNode();
  const packagePrefix = self.type.slice(0, self.type.lastIndexOf('.') + 1);
  const result: WiredTargets = { targets: [], skipped: [] };
  for (const child of context.getChildNodes(self.name, { includeNodeParameters: true })) {
    if (child.disabled || !child.type.startsWith(packagePrefix)) continue;
    if (!context.getParentNodes(child.name, { depth: 1 }).some((parent) => parent.name === self.name)) continue;
    const target = targetOf(child, packagePrefix);
    if (target === 'unknown') result.skipped.push(child.name);
    else if (target) result.targets.push(target);
  }
  return result;
}

function targetOf(node: NodeTypeAndVersion, packagePrefix: string): DeliveryTarget | 'unknown' | undefined {
  const parameters: INodeParameters = node.parameters ?? {};
  const tenant = parameters.tenant ?? 'default';
  if (node.type === `${packagePrefix}incidentIo`) {
    const id = parameters.destinationId ?? 'incident-io';
    return isExpression(tenant) || isExpression(id) ? 'unknown' : { tenant: String(tenant), id: String(id), kind: 'incident-io' };
  }
  if (node.type === `${packagePrefix}signedWebhook`) {
    const named = String(parameters.destinationId ?? '').trim();
    const url = parameters.url ?? '';
    if (isExpression(tenant) || isExpression(named) || (!named && isExpression(url))) return 'unknown';
    return { tenant: String(tenant), id: signedWebhookDestinationId(named, String(url)), kind: 'webhook' };
  }
  return undefined;
}
