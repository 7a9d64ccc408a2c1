import type { ResolvedClient, ResolvedSource } from './resolve-template';
import { stableHexId } from './stable-id';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** `${NAME}`: Node-RED substitutes the environment variable when the flow starts, in properties and credentials. */
export const envRef = (name: string) => `\${${name}}`;

const text = (value: number | undefined, fallback: string) => (value === undefined ? fallback : String(value));

export function sourceConfigId(client: ResolvedClient, source: ResolvedSource): string {
  return stableHexId('node-red', client.key, 'source', source.key);
}

/** The intake-source config node, with every editor field (as strings, as the editor stores them). */
export function intakeSourceNode(client: ResolvedClient, source: ResolvedSource): FlowNode {
  const { auth, mapping = {} } = source.template;
  const { limits } = source;
  const credentials: Record<string, string> = {};
  if (auth.secretEnv) credentials.secret = envRef(auth.secretEnv);
  if (auth.previousSecretEnv) credentials.previousSecret = envRef(auth.previousSecretEnv);
  if (auth.previousSecretExpiresAt) credentials.previousSecretExpiresAt = auth.previousSecretExpiresAt;
  return {
    id: sourceConfigId(client, source),
    type: 'intake-source',
    name: source.name,
    tenant: client.tenant,
    sourceId: source.id,
    provider: source.template.provider,
    mode: source.template.mode,
    scheme: auth.scheme,
    signatureHeader: auth.header ?? '',
    timestampHeader: auth.timestampHeader ?? '',
    queryParam: auth.queryParam ?? '',
    toleranceSeconds: text(auth.toleranceSeconds, '300'),
    maxBodyKb: text(limits.maxBodyKb, '256'),
    sourcePerHour: text(limits.sourcePerHour, '3600'),
    tenantPerDay: text(limits.tenantPerDay, '50000'),
    quarantineDisableCount: text(limits.quarantineDisableCount, '50'),
    quarantineWindowSeconds: text(limits.quarantineWindowSeconds, '3600'),
    mappingExpression: mapping.expression ?? '',
    severityFilter: (mapping.severityFilter ?? []).join(', '),
    regulatoryRefsPath: mapping.regulatoryRefsPath ?? '',
    timezone: mapping.timezone ?? '',
    instance: mapping.instance ?? '',
    ...(Object.keys(credentials).length > 0 && { credentials }),
  };
}
