import { refOf, type RenderedCredential } from './n8n-credentials';
import type { ResolvedClient, ResolvedDestination, ResolvedSource } from './resolve-template';
import type { PolicyTemplate } from './template-fields';
import { stableUuid } from './stable-id';

export const PACKAGE = '@intakekit/n8n-nodes-incident-intake';

export interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  webhookId?: string;
  notes?: string;
  notesInFlow?: boolean;
}

const dropEmpty = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));

/** The Delivery Policy collection of a delivery node (n8n's field names; `unpaced` exists on the incident.io node only). */
export function policyParameters(policy: PolicyTemplate | undefined, kind: 'webhook' | 'incident-io'): Record<string, unknown> {
  const rate = policy?.rateLimit === 'off' ? undefined : policy?.rateLimit;
  return dropEmpty({
    maxAttempts: policy?.maxAttempts,
    scheduleSeconds: policy?.scheduleSeconds?.join(', '),
    timeoutSeconds: policy?.timeoutSeconds,
    ordering: policy?.ordering,
    ratePerMinute: rate?.perMinute,
    rateBurst: rate?.burst,
    rateBucket: rate?.bucket,
    unpaced: policy?.rateLimit === 'off' && kind === 'incident-io' ? true : undefined,
  });
}

function mappingParameters(source: ResolvedSource): Record<string, unknown> {
  const mapping = source.template.mapping ?? {};
  return dropEmpty({
    expression: mapping.expression,
    fieldOverrides: mapping.fieldOverrides && { override: Object.entries(mapping.fieldOverrides).map(([field, expression]) => ({ field, expression })) },
    customFields: mapping.customFields && { field: Object.entries(mapping.customFields).map(([name, expression]) => ({ name, expression })) },
    regulatoryRefsPath: mapping.regulatoryRefsPath,
    instance: mapping.instance,
    timezone: mapping.timezone,
  });
}

export const triggerName = (source: ResolvedSource) => `${source.key} intake`;

/** The Incident Intake Trigger for one source; its webhook path is the source's route without the leading slash. */
export function triggerNode(client: ResolvedClient, source: ResolvedSource, credentials: RenderedCredential[], position: [number, number]): N8nNode {
  const limits = source.limits;
  return {
    id: stableUuid('n8n', client.key, 'source', source.key),
    name: triggerName(source),
    type: `${PACKAGE}.incidentIntakeTrigger`,
    typeVersion: 1,
    position,
    parameters: {
      path: source.path.slice(1),
      sourceId: source.id,
      provider: source.template.provider,
      mode: source.template.mode,
      severityFilter: source.template.mapping?.severityFilter ?? [],
      mapping: mappingParameters(source),
      limits: dropEmpty({ ...limits }),
      sourceOptions: { tenant: client.tenant, sourceName: source.name },
    },
    credentials: Object.assign({}, ...credentials.map(refOf)),
    webhookId: stableUuid('n8n', client.key, 'webhook', source.key),
  };
}

export function noOpNode(client: ResolvedClient, name: string, position: [number, number]): N8nNode {
  return { id: stableUuid('n8n', client.key, 'noop', name), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

export const destinationName = (destination: ResolvedDestination) => `deliver to ${destination.key}`;

/** The delivery node for one destination; the outbox knows it by the destination key. */
export function destinationNode(client: ResolvedClient, destination: ResolvedDestination, credentials: RenderedCredential[], position: [number, number]): N8nNode {
  const template = destination.template;
  const common = { id: stableUuid('n8n', client.key, 'destination', destination.key), name: destinationName(destination), typeVersion: 1, position, credentials: Object.assign({}, ...credentials.map(refOf)) };
  const identity = { incidentId: '={{ $json.id }}', destinationId: destination.key, tenant: client.tenant, policy: policyParameters(template.policy, template.kind) };
  if (template.kind === 'webhook') {
    return {
      ...common,
      type: `${PACKAGE}.signedWebhook`,
      parameters: dropEmpty({
        ...identity,
        url: template.url,
        method: template.method ?? 'POST',
        headers: template.headers && { header: Object.entries(template.headers).map(([name, value]) => ({ name, value })) },
        excludeAttributes: (template.excludeAttributes ?? []).join(', '),
        bodyTemplate: template.bodyTemplate,
      }),
    };
  }
  if (template.target === 'alert_event') {
    return { ...common, type: `${PACKAGE}.incidentIo`, parameters: { resource: 'alertEvent', operation: 'send', ...identity } };
  }
  const rows = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([canonical, id]) => ({ canonical, id }));
  return {
    ...common,
    type: `${PACKAGE}.incidentIo`,
    parameters: dropEmpty({
      resource: 'incident',
      // "edit" creates the incident on first delivery and edits it for later versions (e.g. resolved)
      operation: 'edit',
      ...identity,
      visibility: template.visibility ?? 'public',
      mode: template.mode ?? 'standard',
      severities: template.severityIds && { severity: rows(template.severityIds) },
      statuses: template.statusIds && { status: rows(template.statusIds) },
      notifyIncidentChannel: true,
    }),
  };
}

/** POST {eventId, actor, reason} with X-Review-Token → promote → the response is the last delivery node's output. */
export function reviewNodes(client: ResolvedClient, storeRef: RenderedCredential, tokenRef: RenderedCredential, y: number): N8nNode[] {
  const review = client.review!;
  return [
    {
      id: stableUuid('n8n', client.key, 'review', 'webhook'),
      name: 'review decision',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, y],
      parameters: { httpMethod: 'POST', path: review.path.slice(1), authentication: 'headerAuth', responseMode: 'lastNode', options: {} },
      credentials: refOf(tokenRef),
      webhookId: stableUuid('n8n', client.key, 'review', 'webhook-id'),
    },
    {
      id: stableUuid('n8n', client.key, 'review', 'promote'),
      name: 'promote event',
      type: `${PACKAGE}.incidentIntake`,
      typeVersion: 1,
      position: [300, y],
      parameters: { resource: 'event', operation: 'promote', tenant: client.tenant, eventId: '={{ $json.body.eventId }}', actor: '={{ $json.body.actor }}', reason: '={{ $json.body.reason }}' },
      credentials: refOf(storeRef),
    },
  ];
}
