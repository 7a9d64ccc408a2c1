import type { ResolvedClient, ResolvedDestination, ResolvedSource } from './resolve-template';
import { stableAlnumId } from './stable-id';
import type { StoreTemplate } from './template-schema';

/** An n8n credential as `n8n import:credentials` reads it, with its secret fields left empty. */
export interface N8nCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, string | number>;
}

/** A credential plus which environment variable each of its empty secret fields stands for. */
export interface RenderedCredential {
  credential: N8nCredential;
  secretFields: Record<string, string>;
}

export type CredentialRef = { id: string; name: string };

export const refOf = (rendered: RenderedCredential): Record<string, CredentialRef> => ({ [rendered.credential.type]: { id: rendered.credential.id, name: rendered.credential.name } });

function credential(type: string, name: string, data: Record<string, string | number>, secretFields: Record<string, string> = {}): RenderedCredential {
  const empty = Object.fromEntries(Object.keys(secretFields).map((field) => [field, '']));
  return { credential: { id: stableAlnumId('n8n', 'credential', type, name), name, type, data: { ...data, ...empty } }, secretFields };
}

/** Delivery host lists for the store credential, which carries n8n's outbound host policy. */
export interface StoreHosts {
  allow: readonly string[];
  deny: readonly string[];
}

const NO_HOSTS: StoreHosts = { allow: [], deny: [] };

/**
 * n8n applies the host policy per store, not per delivery node, and every client's credentials file carries the
 * same store credential: so it gets the union of every destination's lists in the template.
 */
export function storeHosts(clients: readonly ResolvedClient[]): StoreHosts {
  const union = (pick: (destination: ResolvedDestination) => readonly string[] | undefined) =>
    [...new Set(clients.flatMap((client) => client.destinations.flatMap((destination) => pick(destination) ?? [])))].sort();
  return { allow: union((destination) => destination.template.allowHosts), deny: union((destination) => destination.template.denyHosts) };
}

export function storeCredential(store: StoreTemplate, hosts: StoreHosts = NO_HOSTS): RenderedCredential {
  const policy = {
    ...(hosts.allow.length > 0 && { allowedDeliveryHosts: hosts.allow.join(', ') }),
    ...(hosts.deny.length > 0 && { deniedDeliveryHosts: hosts.deny.join(', ') }),
  };
  if (store.postgresUrlEnv) return credential('incidentIntakeStoreApi', 'Incident intake store (PostgreSQL)', { backend: 'postgres', ...policy }, { postgresUrl: store.postgresUrlEnv });
  return credential('incidentIntakeStoreApi', 'Incident intake store', { backend: 'sqlite', sqlitePath: store.sqlitePath ?? '', ...policy });
}

export function sourceCredential(client: ResolvedClient, source: ResolvedSource): RenderedCredential {
  const { auth } = source.template;
  const secrets: Record<string, string> = {};
  if (auth.secretEnv) secrets.secret = auth.secretEnv;
  if (auth.previousSecretEnv) secrets.previousSecret = auth.previousSecretEnv;
  return credential(
    'incidentIntakeSourceAuthApi',
    `${client.name}: ${source.key} sender`,
    {
      scheme: auth.scheme,
      ...(auth.previousSecretExpiresAt && { previousSecretExpiresAt: auth.previousSecretExpiresAt }),
      ...(auth.header && { header: auth.header }),
      ...(auth.timestampHeader && { timestampHeader: auth.timestampHeader }),
      ...(auth.queryParam && { queryParam: auth.queryParam }),
      toleranceSeconds: auth.toleranceSeconds ?? 300,
    },
    secrets,
  );
}

export function destinationCredential(client: ResolvedClient, destination: ResolvedDestination): RenderedCredential {
  const template = destination.template;
  const name = `${client.name}: ${destination.name}`;
  if (template.kind === 'webhook') {
    const signing = template.signing;
    // references, not values: the node reads them at each attempt, so this field needs no pasting
    const headers: Record<string, string> = template.secretHeaders ? { secretHeaders: JSON.stringify(template.secretHeaders) } : {};
    if (signing.scheme === 'none') return credential('signedWebhookApi', name, { scheme: 'none', ...headers });
    return credential('signedWebhookApi', name, { scheme: signing.scheme, ...(signing.scheme === 'hmac-hex' && { header: signing.header ?? 'X-Signature' }), ...headers }, { secret: signing.secretEnv });
  }
  const baseUrl = template.baseUrl ?? 'https://api.incident.io';
  if (template.target === 'alert_event') {
    return credential('incidentIoAlertSourceApi', name, { alertSourceConfigId: template.alertSourceConfigId, baseUrl }, { token: template.alertSourceTokenEnv });
  }
  return credential('incidentIoApi', name, { baseUrl }, { apiKey: template.apiKeyEnv });
}

/** n8n's Header Auth credential for the review route: the header name is fixed, its value is the token. */
export function reviewCredential(client: ResolvedClient): RenderedCredential {
  return credential('httpHeaderAuth', `${client.name}: review token`, { name: 'X-Review-Token' }, { value: client.review!.tokenEnv });
}

/** Every credential a client's workflow refers to, the shared store first. */
export function clientCredentials(client: ResolvedClient, store: StoreTemplate, hosts: StoreHosts = storeHosts([client])): RenderedCredential[] {
  return [
    storeCredential(store, hosts),
    ...client.sources.map((source) => sourceCredential(client, source)),
    ...client.destinations.map((destination) => destinationCredential(client, destination)),
    ...(client.review ? [reviewCredential(client)] : []),
  ];
}
