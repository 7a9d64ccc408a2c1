import type { Host } from './hosts';
import { storeHosts, type StoreHosts } from './n8n-credentials';
import { renderN8nCredentials, renderN8nDeliveryWorker, renderN8nWorkflow } from './render-n8n';
import { renderNodeRedFlow } from './render-node-red';
import { clientEnv, type EnvReference } from './required-env';
import type { ResolvedClient } from './resolve-template';
import type { Template } from './template-schema';

export interface RenderedFile {
  /** Relative to the output folder. */
  path: string;
  content: string;
}

export interface RenderedClient {
  client: string;
  sources: number;
  destinations: number;
  /** Nodes in the client's flow or workflow. */
  nodes: number;
  files: string[];
  env: EnvReference[];
}

export interface RenderOptions {
  /** Render only these client keys (default all). */
  only?: readonly string[];
  onProgress?: (done: number, total: number, client: RenderedClient) => void;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function renderClient(client: ResolvedClient, template: Template, host: Host, hosts: StoreHosts): { files: RenderedFile[]; nodes: number } {
  if (host === 'node-red') {
    const flow = renderNodeRedFlow(client, template.store);
    return { files: [{ path: `${client.key}.flow.json`, content: json(flow) }], nodes: flow.length };
  }
  const workflow = renderN8nWorkflow(client, template.store);
  const credentials = renderN8nCredentials(client, template.store, hosts).map((rendered) => rendered.credential);
  return {
    files: [
      { path: `${client.key}.workflow.json`, content: json(workflow) },
      { path: `${client.key}.credentials.json`, content: json(credentials) },
    ],
    nodes: workflow.nodes.length,
  };
}

/**
 * Turns a checked template into importable files for one host: a Node-RED flow per client, or an n8n
 * workflow and a credentials file (secrets empty) per client plus one delivery worker workflow.
 */
export function renderTemplate(template: Template, clients: readonly ResolvedClient[], host: Host, options: RenderOptions = {}): { files: RenderedFile[]; clients: RenderedClient[] } {
  const chosen = options.only ? clients.filter((client) => options.only!.includes(client.key)) : clients;
  const files: RenderedFile[] = [];
  const rendered: RenderedClient[] = [];
  const hosts = storeHosts(clients);
  chosen.forEach((client, index) => {
    const result = renderClient(client, template, host, hosts);
    files.push(...result.files);
    const summary = { client: client.key, sources: client.sources.length, destinations: client.destinations.length, nodes: result.nodes, files: result.files.map((file) => file.path), env: clientEnv(client) };
    rendered.push(summary);
    options.onProgress?.(index + 1, chosen.length, summary);
  });
  if (host === 'n8n' && chosen.length > 0) files.push({ path: 'delivery-worker.workflow.json', content: json(renderN8nDeliveryWorker(template.store)) });
  return { files, clients: rendered };
}
