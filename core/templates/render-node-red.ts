import { destinationNodeId, destinationNodes } from './node-red-destinations';
import { reviewNodes } from './node-red-review';
import { envRef, intakeSourceNode, sourceConfigId, type FlowNode } from './node-red-sources';
import { clientEnv } from './required-env';
import type { ResolvedClient } from './resolve-template';
import { stableHexId } from './stable-id';
import type { StoreTemplate } from './template-schema';

const ROW = 120;

/** One store config node for every client, with the same id in every file, so imports share it. */
export function storeNode(store: StoreTemplate): FlowNode {
  return {
    id: stableHexId('node-red', 'store', store.sqlitePath ?? '', store.postgresUrlEnv ?? ''),
    type: 'intake-store',
    name: store.postgresUrlEnv ? 'intake store (PostgreSQL)' : 'intake store',
    sqlitePath: store.sqlitePath ?? 'incident-intake.sqlite',
    ...(store.postgresUrlEnv && { credentials: { postgresUrl: envRef(store.postgresUrlEnv) } }),
  };
}

function debugNode(id: string, z: string, name: string, complete: string, x: number, y: number): FlowNode {
  return { id, type: 'debug', z, name, active: true, tosidebar: true, console: false, tostatus: false, complete, targetType: 'msg', x, y, wires: [] };
}

function tabInfo(client: ResolvedClient): string {
  const env = clientEnv(client).map((reference) => `- \`${reference.name}\`: ${reference.holds}`);
  return [
    `Incident intake for ${client.name} (tenant \`${client.tenant}\`), rendered from a template.`,
    '',
    'Secrets are read from these environment variables when the flows start (set them for the Node-RED process):',
    ...env,
  ].join('\n');
}

/** A client as one importable Node-RED flow: a tab, its intake routes, review route and delivery nodes. */
export function renderNodeRedFlow(client: ResolvedClient, store: StoreTemplate): FlowNode[] {
  const z = stableHexId('node-red', client.key, 'tab');
  const storeConfig = storeNode(store);
  const nodes: FlowNode[] = [{ id: z, type: 'tab', label: `Incident intake: ${client.name}`, disabled: false, info: tabInfo(client), env: [] }, storeConfig];
  client.destinations.forEach((destination, index) => {
    const resultsId = stableHexId('node-red', client.key, 'results', destination.key);
    const y = 60 + index * ROW;
    nodes.push(...destinationNodes(client, destination, { z, storeId: storeConfig.id, x: 760, y, wires: [[resultsId]] }));
    nodes.push(debugNode(resultsId, z, `${destination.name} results`, 'payload', 1000, y));
  });
  client.sources.forEach((source, index) => {
    const y = 60 + index * ROW;
    const id = (part: string) => stableHexId('node-red', client.key, 'source', source.key, part);
    nodes.push(intakeSourceNode(client, source));
    nodes.push({
      id: id('intake'), type: 'incident-intake', z, name: source.name, source: sourceConfigId(client, source), store: storeConfig.id, path: source.path, x: 180, y,
      wires: [[id('review')], source.deliverTo.map((key) => destinationNodeId(client, client.destinations.find((destination) => destination.key === key)!)), [id('quarantined')]],
    });
    nodes.push(debugNode(id('review'), z, `${source.key}: waiting for review`, 'payload', 480, y - 30));
    nodes.push(debugNode(id('quarantined'), z, `${source.key}: quarantined`, 'payload.reasons', 480, y + 30));
  });
  const reviewed = client.sources.find((source) => source.template.mode === 'review') ?? client.sources[0]!;
  if (client.review) {
    const destinationIds = client.review.deliverTo.map((key) => destinationNodeId(client, client.destinations.find((destination) => destination.key === key)!));
    nodes.push(...reviewNodes(client, { z, storeId: storeConfig.id, sourceId: sourceConfigId(client, reviewed), y: 60 + Math.max(client.sources.length, client.destinations.length) * ROW, destinationIds }));
  }
  return nodes;
}
