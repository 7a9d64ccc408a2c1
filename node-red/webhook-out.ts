import type { DestinationConfigInput } from '../core/delivery';
import { exposedSecretWarnings, secretHeadersFrom } from '../core/delivery/secret-headers';
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
  /** JSON object of extra headers that are not secrets (exported with the flow). */
  headers?: string;
  /** Comma-separated dot paths removed before sending. */
  exclude?: string;
  bodyTemplate?: string;
  scheme?: 'standard-webhooks' | 'hmac-hex' | 'none';
  signatureHeader?: string;
}

/** Node-RED keeps these in its credential store, never in the flow (nor in an export). */
interface WebhookOutCredentials {
  secret?: string;
  /** JSON object of headers that carry secrets (Authorization, X-Api-Key, …); values may be references. */
  secretHeaders?: string;
  /** A receiver URL that is itself a secret (a token in its path or query); replaces the URL field. */
  secretUrl?: string;
}

const MOVE_IT = 'move it into the node\'s Secret headers / Secret URL (credentials), or use a reference such as env:NAME';

function signing(def: WebhookOutDef, secret: string | undefined) {
  const scheme = def.scheme ?? 'standard-webhooks';
  if (scheme === 'none') return { scheme } as const;
  if (scheme === 'hmac-hex') return { scheme, secret: secret ?? '', ...(def.signatureHeader?.trim() ? { header: def.signatureHeader.trim() } : {}) } as const;
  return { scheme, secret: secret ?? '' } as const;
}

function plainHeaders(def: WebhookOutDef): Record<string, string> {
  return def.headers?.trim() ? (JSON.parse(def.headers) as Record<string, string>) : {};
}

function destinationFor(node: Node<WebhookOutCredentials>, def: WebhookOutDef): DestinationConfigInput {
  const credentials = node.credentials ?? {};
  return {
    kind: 'webhook',
    tenant: def.tenant?.trim() || 'default',
    id: `node-red-${node.id}`,
    name: def.name || undefined,
    url: credentials.secretUrl?.trim() || def.url,
    method: def.method ?? 'POST',
    headers: { ...plainHeaders(def), ...secretHeadersFrom(credentials.secretHeaders) },
    excludeAttributes: (def.exclude ?? '').split(',').map((path) => path.trim()).filter(Boolean),
    ...(def.bodyTemplate?.trim() ? { bodyTemplate: def.bodyTemplate } : {}),
    signing: signing(def, credentials.secret),
    policy: policyFrom(def),
  };
}

/** Secrets left in plain flow properties keep working, but every deploy says so, loudly. */
function warnAboutExposedSecrets(node: Node, def: WebhookOutDef): void {
  let headers: Record<string, string> = {};
  try {
    headers = plainHeaders(def);
  } catch {
    return;
  }
  for (const warning of exposedSecretWarnings({ headers, url: def.url }, MOVE_IT)) node.warn(`webhook out: ${warning}`);
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
      if (error instanceof Error) this.error(`webhook out: ${error.message}`);
      return;
    }
    warnAboutExposedSecrets(this, def);
    runDeliveryNode(this, storeNode, destination, outboundHostPolicy(RED, def));
  }
  RED.nodes.registerType('webhook-out', WebhookOut as never, { credentials: { secret: { type: 'password' }, secretHeaders: { type: 'password' }, secretUrl: { type: 'password' } } });
};
