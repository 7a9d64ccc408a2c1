import type { NodeAPI } from '../shared/node-red-types';

const TENANT_TYPES = new Set(['intake-source', 'incidentio-out', 'webhook-out']);

/**
 * The tenants the deployed flows name (intake sources and delivery nodes; blank is `default`). Node-RED has
 * no tenants of its own, so these are the ones whose pending work the editor's sidebar counts.
 */
export function flowTenants(RED: NodeAPI): string[] {
  const tenants = new Set<string>();
  RED.nodes.eachNode((def) => {
    if (!TENANT_TYPES.has(def.type)) return;
    const tenant = (def as { tenant?: unknown }).tenant;
    tenants.add(typeof tenant === 'string' && tenant.trim() ? tenant.trim() : 'default');
  });
  return [...tenants];
}
