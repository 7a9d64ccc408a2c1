import type { ResolvedClient } from './resolve-template';
import { templateError, templateWarning, type TemplateIssue } from './template-issue';

export const HOSTS = ['n8n', 'node-red'] as const;
export type Host = (typeof HOSTS)[number];

export function isHost(value: string): value is Host {
  return (HOSTS as readonly string[]).includes(value);
}

const HOST_NAMES: Record<Host, string> = { n8n: 'n8n', 'node-red': 'Node-RED' };

/** Mapping settings each host's intake node has no field for (the core supports them all). */
const UNSUPPORTED_MAPPING: Record<Host, readonly string[]> = {
  n8n: ['severityTable', 'statusTable'],
  'node-red': ['fieldOverrides', 'customFields', 'severityTable', 'statusTable'],
};

/** Settings a template may use but a host's nodes cannot carry: rendering would silently drop them. */
export function checkHostSupport(client: ResolvedClient, host: Host): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const unsupported = (path: string[], what: string) =>
    issues.push(templateError(['clients', client.key, ...path], `${what} cannot be expressed in ${HOST_NAMES[host]}'s nodes; use mapping.expression (a whole JSONata mapping) instead, or render for the other host`));
  for (const source of client.sources) {
    for (const field of UNSUPPORTED_MAPPING[host]) {
      if (source.template.mapping?.[field as keyof typeof source.template.mapping] !== undefined) unsupported(['sources', source.key, 'mapping', field], field);
    }
  }
  for (const destination of client.destinations) {
    const template = destination.template;
    if (host === 'n8n' && (template.allowHosts || template.denyHosts)) {
      issues.push(templateWarning(['clients', client.key, 'destinations', destination.key], "n8n applies delivery host lists per store, not per destination: the rendered store credential carries every destination's allowHosts and denyHosts together"));
    }
    if (host === 'node-red' && template.kind === 'incident-io' && template.target === 'incident' && template.statusIds) {
      issues.push(templateError(['clients', client.key, 'destinations', destination.key, 'statusIds'], "statusIds cannot be expressed in Node-RED's incident.io out node; leave it out (statuses are then not sent)"));
    }
  }
  return issues;
}

export function hostName(host: Host): string {
  return HOST_NAMES[host];
}
