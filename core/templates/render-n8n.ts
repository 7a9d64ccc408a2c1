import { clientCredentials, reviewCredential, sourceCredential, destinationCredential, storeCredential, type RenderedCredential, type StoreHosts } from './n8n-credentials';
import { PACKAGE, destinationName, destinationNode, noOpNode, reviewNodes, triggerName, triggerNode, type N8nNode } from './n8n-nodes';
import type { ResolvedClient, ResolvedSource } from './resolve-template';
import { stableAlnumId, stableUuid } from './stable-id';
import type { StoreTemplate } from './template-schema';

export interface N8nWorkflow {
  id: string;
  name: string;
  nodes: N8nNode[];
  connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
  settings: { executionOrder: 'v1' };
  active: false;
  pinData: Record<string, never>;
  tags: never[];
  meta?: Record<string, unknown>;
}

const ROW = 200;
const link = (names: readonly string[]) => names.map((node) => ({ node, type: 'main' as const, index: 0 }));

function workflow(id: string, name: string, nodes: N8nNode[], connections: N8nWorkflow['connections']): N8nWorkflow {
  return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {}, tags: [] };
}

/** A client as one importable n8n workflow; credentials are referenced by id and name, their secrets left out. */
export function renderN8nWorkflow(client: ResolvedClient, store: StoreTemplate): N8nWorkflow {
  const storeRef = storeCredential(store);
  const nodes: N8nNode[] = [];
  const connections: N8nWorkflow['connections'] = {};
  const destinationNames = new Map(client.destinations.map((destination) => [destination.key, destinationName(destination)]));
  client.destinations.forEach((destination, index) => {
    nodes.push(destinationNode(client, destination, [destinationCredential(client, destination), storeRef], [700, index * ROW]));
  });
  client.sources.forEach((source, index) => {
    const y = index * ROW;
    const trigger = triggerNode(client, source, [sourceCredential(client, source), storeRef], [0, y]);
    const waiting = noOpNode(client, `${source.key}: awaiting review`, [350, y - 60]);
    const quarantined = noOpNode(client, `${source.key}: quarantined`, [350, y + 60]);
    trigger.notes = notes(source);
    nodes.push(trigger, waiting, quarantined);
    connections[triggerName(source)] = { main: [link([waiting.name]), link(source.deliverTo.map((key) => destinationNames.get(key)!)), link([quarantined.name])] };
  });
  if (client.review) {
    const y = Math.max(client.sources.length, client.destinations.length) * ROW;
    const [webhook, promote] = reviewNodes(client, storeRef, reviewCredential(client), y);
    nodes.push(webhook!, promote!);
    connections[webhook!.name] = { main: [link([promote!.name])] };
    connections[promote!.name] = { main: [link(client.review.deliverTo.map((key) => destinationNames.get(key)!))] };
  }
  return workflow(stableAlnumId('n8n', 'workflow', client.key), `Incident intake: ${client.name}`, nodes, connections);
}

/** Where the sender credential's empty secret comes from, on the trigger so it shows in the editor. */
function notes(source: ResolvedSource): string {
  const names = [source.template.auth.secretEnv, source.template.auth.previousSecretEnv].filter((name) => name !== undefined);
  return names.length === 0 ? 'Rendered from a template.' : `Rendered from a template: the sender credential's secret is the value of ${names.join(', then ')}.`;
}

/** The one Delivery Worker Trigger workflow an n8n instance needs to retry deliveries for every client. */
export function renderN8nDeliveryWorker(store: StoreTemplate): N8nWorkflow {
  const storeRef = storeCredential(store);
  const trigger: N8nNode = {
    id: stableUuid('n8n', 'delivery-worker', 'trigger'),
    name: 'delivery results',
    type: `${PACKAGE}.deliveryWorkerTrigger`,
    typeVersion: 1,
    position: [0, 0],
    parameters: { emit: 'final' },
    credentials: { [storeRef.credential.type]: { id: storeRef.credential.id, name: storeRef.credential.name } },
  };
  const next: N8nNode = { id: stableUuid('n8n', 'delivery-worker', 'noop'), name: 'delivered or dead-lettered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} };
  return workflow(stableAlnumId('n8n', 'workflow', 'delivery-worker'), 'Incident intake: delivery worker', [trigger, next], { [trigger.name]: { main: [link([next.name])] } });
}

/** `hosts`: the store's delivery host lists — pass {@link storeHosts} of every client rendered for this instance. */
export function renderN8nCredentials(client: ResolvedClient, store: StoreTemplate, hosts?: StoreHosts): RenderedCredential[] {
  return clientCredentials(client, store, hosts);
}
