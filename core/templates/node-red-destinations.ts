import type { PolicyTemplate } from './template-fields';
import type { ResolvedClient, ResolvedDestination } from './resolve-template';
import { envRef, type FlowNode } from './node-red-sources';
import { stableHexId } from './stable-id';

export function destinationNodeId(client: ResolvedClient, destination: ResolvedDestination): string {
  return stableHexId('node-red', client.key, 'destination', destination.key);
}

/** The delivery node's policy fields (Node-RED's names; empty keeps the default, `off` turns pacing off). */
function policyFields(policy: PolicyTemplate | undefined, kind: 'webhook' | 'incident-io'): Record<string, string> {
  const rate = policy?.rateLimit === 'off' ? undefined : policy?.rateLimit;
  return {
    maxAttempts: policy?.maxAttempts === undefined ? '' : String(policy.maxAttempts),
    timeoutSeconds: policy?.timeoutSeconds === undefined ? '' : String(policy.timeoutSeconds),
    retrySchedule: (policy?.scheduleSeconds ?? []).join(', '),
    ordering: policy?.ordering ?? (kind === 'incident-io' ? 'per-incident' : 'none'),
    ratePerMinute: policy?.rateLimit === 'off' ? 'off' : rate?.perMinute === undefined ? '' : String(rate.perMinute),
    rateBurst: rate?.burst === undefined ? '' : String(rate.burst),
    rateBucket: rate?.bucket ?? '',
  };
}

/**
 * The delivery node for one destination (plus the incident.io account config node it needs). Node-RED's
 * delivery nodes name their outbox destination `node-red-<node id>`.
 */
export function destinationNodes(client: ResolvedClient, destination: ResolvedDestination, placement: { z: string; storeId: string; x: number; y: number; wires: string[][] }): FlowNode[] {
  const template = destination.template;
  const id = destinationNodeId(client, destination);
  const hosts = { allowHosts: (template.allowHosts ?? []).join(', '), denyHosts: (template.denyHosts ?? []).join(', ') };
  const place = { z: placement.z, name: destination.name, store: placement.storeId, tenant: client.tenant, ...policyFields(template.policy, template.kind), ...hosts, x: placement.x, y: placement.y, wires: placement.wires };
  if (template.kind === 'webhook') {
    const signing = template.signing;
    return [
      {
        id,
        type: 'webhook-out',
        ...place,
        url: template.url,
        method: template.method ?? 'POST',
        headers: template.headers ? JSON.stringify(template.headers) : '',
        exclude: (template.excludeAttributes ?? []).join(', '),
        bodyTemplate: template.bodyTemplate ?? '',
        scheme: signing.scheme,
        signatureHeader: signing.scheme === 'hmac-hex' ? (signing.header ?? '') : '',
        credentials: {
          ...(signing.scheme !== 'none' && { secret: envRef(signing.secretEnv) }),
          // references, not values: the node reads them at each attempt
          ...(template.secretHeaders && { secretHeaders: JSON.stringify(template.secretHeaders) }),
        },
      },
    ];
  }
  const accountId = stableHexId('node-red', client.key, 'account', destination.key);
  const account: FlowNode = {
    id: accountId,
    type: 'incidentio-account',
    name: `${client.name} ${destination.name}`,
    baseUrl: template.baseUrl ?? 'https://api.incident.io',
    alertSourceConfigId: template.target === 'alert_event' ? template.alertSourceConfigId : '',
    credentials: template.target === 'alert_event' ? { alertSourceToken: envRef(template.alertSourceTokenEnv) } : { apiKey: envRef(template.apiKeyEnv) },
  };
  const out: FlowNode = {
    id,
    type: 'incidentio-out',
    ...place,
    account: accountId,
    target: template.target,
    visibility: template.target === 'incident' ? (template.visibility ?? 'public') : 'public',
    incidentMode: template.target === 'incident' ? (template.mode ?? 'standard') : 'standard',
    severityIds: template.target === 'incident' && template.severityIds ? JSON.stringify(template.severityIds) : '',
  };
  return [account, out];
}
