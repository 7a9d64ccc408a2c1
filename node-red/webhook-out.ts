import type { DestinationConfigInput } from '../core/delivery';
import type { IntakeStoreNode } from './shared/intake-store-settings';
import { runDeliveryNode } from './shared/delivery-node';
import { outboundHostPolicy, type OutboundHostFields } from './shared/outbound-hosts';
import { policyFrom, type DeliveryPolicyFields } from './shared/delivery-policy-fields';
import type { Node, NodeAPI, NodeDef } from './shared/node-red-types';

interface WebhookOutDef extends NodeDef, DeliveryPolicyFields, OutboundHostFields {
  store: string;
  tenant?: string;
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH';
  /** JSON object of extra headers. */
  headers?: string;
  /** Comma-separated dot paths removed before sending. */
  exclude?: string;
  bodyTemplate?: string;
  scheme?: 'standard-webhooks' | 'hmac-hex' | 'none';
  signatureHeader?: string;
}

interface WebhookOutCredentials {
  secret?: string;
}

function signing(def: WebhookOutDef, secret: string | undefined) {
  const scheme = def.scheme ?? 'standard-webhooks';
  if (scheme === 'none') return { scheme } as const;
  if (scheme === 'hmac-hex') return { scheme, secret: secret ?? '', ...(def.signatureHeader?.trim() ? { header: def.signatureHeader.trim() } : {}) } as const;
  return { scheme, secret: secret ?? '' } as const;
}

function destinationFor(node: Node<WebhookOutCredentials>, def: WebhookOutDef): DestinationConfigInput {
  const headers = def.headers?.trim() ? (JSON.parse(def.headers) as Record<string, string>) : {};
  return {
    kind: 'webhook',
    tenant: def.tenant?.trim() || 'default',
    id: `node-red-${node.id}`,
    name: def.name || undefined,
    url: def.url,
    method: def.method ?? 'POST',
    headers,
    excludeAttributes: (def.exclude ?? '').split(',').map((path) => path.trim()).filter(Boolean),
    ...(def.bodyTemplate?.trim() ? { bodyTemplate: def.bodyTemplate } : {}),
    signing: signing(def, node.credentials.secret),
    policy: policyFrom(def),
  };
}

export = function registerWebhookOut(RED: NodeAPI): void {
  function WebhookOut(this: Node<WebhookOutCredentials>, def: WebhookOutDef) {
    RED.nodes.createNode(this, def);
    const storeNode = RED.nodes.getNode(def.store) as IntakeStoreNode | null;
    let destination: DestinationConfigInput;
    try {
      destination = destinationFor(this, def);
    } catch (error) {
      this.status({ fill: 'red', shape: 'ring', text: (error instanceof Error ? error.message : 'invalid settings').slice(0, 60) });
      return;
    }
    runDeliveryNode(this, storeNode, destination, outboundHostPolicy(RED, def));
  }
  RED.nodes.registerType('webhook-out', WebhookOut as never, { credentials: { secret: { type: 'password' } } });
};
