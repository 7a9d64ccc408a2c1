import type { SourceDefinition, SourceDefinitionInput } from '../../core/intake/define-source';
import type { ClosableNormaliser } from '../../core/mapping/create-normaliser';
import type { SecretEntry } from '../../core/signing';
import { resolveSecretSync } from '../../core/secrets/resolve-secret';
import { secretPair } from '../../core/signing/secret-pair';
import type { Node, NodeDef } from './node-red-types';
import { parseRetiringSecrets } from './retiring-secrets';

/** The editor's fields, flat, as Node-RED stores them. */
export interface IntakeSourceDef extends NodeDef {
  tenant?: string;
  sourceId?: string;
  provider?: string;
  mode?: string;
  scheme?: string;
  messageTrust?: string;
  signatureHeader?: string;
  timestampHeader?: string;
  queryParam?: string;
  toleranceSeconds?: string | number;
  maxBodyKb?: string | number;
  sourcePerHour?: string | number;
  tenantPerDay?: string | number;
  quarantineDisableCount?: string | number;
  quarantineWindowSeconds?: string | number;
  mappingExpression?: string;
  severityFilter?: string | string[];
  regulatoryRefsPath?: string;
  timezone?: string;
  instance?: string;
}

export interface IntakeSourceCredentials {
  secret?: string;
  previousSecret?: string;
  /** ISO time until which the previous secret stays valid (rotation grace period). */
  previousSecretExpiresAt?: string;
  /** Written by the Rotate button: the replaced secrets still in their grace period (see retiring-secrets.ts). */
  retiringSecrets?: string;
}

export interface IntakeSourceNode extends Node<IntakeSourceCredentials> {
  /** The validated source, or undefined when the config is invalid (see `problem`). */
  definition?: SourceDefinition;
  problem?: string;
  normaliser(): ClosableNormaliser;
  /** After a rotation: the secrets every intake node using this source verifies with from now on. */
  replaceSecrets(secrets: SecretEntry[]): void;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const whole = (value: unknown): number | undefined => (value === undefined || value === '' || value === null ? undefined : Number(value));

/**
 * Node-RED leaves `${NAME}` as it is when the variable is not set; taken as the secret, that placeholder
 * (readable in any rendered template) would authenticate requests.
 */
function refuseUnresolved(value: string | undefined): void {
  const name = /^\$\{(\S+)\}$/.exec(value?.trim() ?? '')?.[1];
  if (name) throw new Error(`environment variable ${name} is not set, so the secret would be the placeholder itself`);
}

function secretsFrom(credentials: IntakeSourceCredentials | undefined): SecretEntry[] {
  refuseUnresolved(credentials?.secret);
  refuseUnresolved(credentials?.previousSecret);
  // References (`env:NAME`, `file:/path`) are read when the flow starts; one that gives nothing makes the source invalid.
  const resolved = (value: string | undefined) => (value?.trim() ? resolveSecretSync(value) : value);
  const retiring = parseRetiringSecrets(credentials?.retiringSecrets);
  const pair = secretPair(resolved(credentials?.secret), resolved(credentials?.previousSecret), credentials?.previousSecretExpiresAt);
  return [...pair, ...retiring.filter((entry) => !pair.some((known) => known.value === entry.value))];
}

/** Turns the editor's flat fields and credentials into a source definition for the core to validate. */
export function definitionInput(def: IntakeSourceDef, credentials: IntakeSourceCredentials | undefined): SourceDefinitionInput {
  const severityFilter = Array.isArray(def.severityFilter) ? def.severityFilter : text(def.severityFilter)?.split(/[\s,]+/);
  const maxBodyKb = whole(def.maxBodyKb);
  const drop = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
  return {
    tenant: text(def.tenant) ?? 'default',
    id: text(def.sourceId) ?? def.id,
    name: text(def.name) ?? text(def.sourceId) ?? def.id,
    provider: (text(def.provider) ?? 'generic') as SourceDefinitionInput['provider'],
    mode: (text(def.mode) ?? 'review') as 'review' | 'auto-create',
    auth: drop({
      scheme: (text(def.scheme) ?? 'standard-webhooks') as never,
      secrets: secretsFrom(credentials),
      header: text(def.signatureHeader),
      timestampHeader: text(def.timestampHeader),
      queryParam: text(def.queryParam),
      toleranceSeconds: whole(def.toleranceSeconds),
    }),
    ...(text(def.messageTrust) && { messageTrust: text(def.messageTrust) as 'channel' | 'signature' }),
    limits: drop({
      maxBodyBytes: maxBodyKb === undefined ? undefined : Math.round(maxBodyKb * 1024),
      sourcePerHour: whole(def.sourcePerHour),
      tenantPerDay: whole(def.tenantPerDay),
      quarantineDisableCount: whole(def.quarantineDisableCount),
      quarantineWindowSeconds: whole(def.quarantineWindowSeconds),
    }),
    mapping: drop({
      expression: text(def.mappingExpression),
      severityFilter: severityFilter?.filter(Boolean) as never,
      regulatoryRefsPath: text(def.regulatoryRefsPath),
      timezone: text(def.timezone),
      instance: text(def.instance),
    }),
  };
}

