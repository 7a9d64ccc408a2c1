import type { DestinationConfigInput } from '../core/delivery';
import type { IncidentIoAccountNode } from './shared/incidentio-account-settings';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { runDeliveryNode } from './shared/delivery-node';
import { outboundHostPolicy, type OutboundHostFields } from './shared/outbound-hosts';
import { policyFrom, type DeliveryPolicyFields } from './shared/delivery-policy-fields';
import type { Node, NodeAPI, NodeDef } from './shared/node-red-types';

interface IncidentIoOutDef extends NodeDef, DeliveryPolicyFields, OutboundHostFields {
  account: string;
  store: string;
  tenant?: string;
  target: 'alert_event' | 'incident';
  visibility?: 'public' | 'private';
  incidentMode?: 'standard' | 'retrospective' | 'test' | 'tutorial';
  /** JSON object: canonical severity → incident.io severity id. */
  severityIds?: string;
}

function jsonObject(text: string | undefined, what: string): Record<string, string> {
  if (!text?.trim()) return {};
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} must be a JSON object`);
  return value as Record<string, string>;
}

function destinationFor(node: Node, def: IncidentIoOutDef, account: IncidentIoAccountNode | null): DestinationConfigInput {
  const policy = policyFrom(def);
  const common = { kind: 'incident-io' as const, tenant: def.tenant?.trim() || 'default', id: `node-red-${node.id}`, name: def.name || undefined, baseUrl: account?.baseUrl, policy };
  if (def.target === 'alert_event') {
    return { ...common, target: 'alert_event', alertSourceConfigId: account?.alertSourceConfigId ?? '', alertSourceToken: account?.credentials.alertSourceToken ?? '' };
  }
  return {
    ...common,
    target: 'incident',
    apiKey: account?.credentials.apiKey ?? '',
    visibility: def.visibility ?? 'public',
    mode: def.incidentMode ?? 'standard',
    severityIds: jsonObject(def.severityIds, 'severity ids'),
  };
}

export = function registerIncidentIoOut(RED: NodeAPI): void {
  function IncidentIoOut(this: Node, def: IncidentIoOutDef) {
    RED.nodes.createNode(this, def);
    const account = RED.nodes.getNode(def.account) as IncidentIoAccountNode | null;
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    let destination: DestinationConfigInput;
    try {
      destination = destinationFor(this, def, account);
    } catch (error) {
      this.status({ fill: 'red', shape: 'ring', text: error instanceof Error ? error.message : 'invalid settings' });
      return;
    }
    runDeliveryNode(this, storeNode, destination, outboundHostPolicy(RED, def));
  }
  RED.nodes.registerType('incidentio-out', IncidentIoOut as never);
};
