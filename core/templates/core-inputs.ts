import type { DestinationConfigInput } from '../delivery/destination-config';
import type { SourceDefinitionInput } from '../intake/define-source';
import type { SecretEntry } from '../signing';
import type { PolicyTemplate } from './template-fields';
import type { ResolvedClient, ResolvedDestination, ResolvedSource } from './resolve-template';

/** Looks up the secret an environment variable name stands for (the real environment, or a placeholder when checking). */
export type SecretLookup = (envName: string) => string;

/** The core source definition a rendered source amounts to, for `defineSource`. */
export function sourceDefinitionInput(client: ResolvedClient, source: ResolvedSource, secret: SecretLookup): SourceDefinitionInput {
  const { auth, provider, mode, mapping } = source.template;
  const { maxBodyKb, ...limits } = source.limits;
  const secrets: SecretEntry[] = [];
  if (auth.secretEnv) secrets.push({ value: secret(auth.secretEnv) });
  if (auth.previousSecretEnv) {
    const expiresAt = auth.previousSecretExpiresAt ? Date.parse(auth.previousSecretExpiresAt) : undefined;
    secrets.push({ value: secret(auth.previousSecretEnv), ...(expiresAt !== undefined && { expiresAt }) });
  }
  return {
    tenant: client.tenant,
    id: source.id,
    name: source.name,
    provider,
    mode,
    auth: {
      scheme: auth.scheme,
      secrets: auth.scheme === 'none' ? [] : secrets,
      ...(auth.header && { header: auth.header }),
      ...(auth.timestampHeader && { timestampHeader: auth.timestampHeader }),
      ...(auth.queryParam && { queryParam: auth.queryParam }),
      ...(auth.toleranceSeconds && { toleranceSeconds: auth.toleranceSeconds }),
    },
    limits: { ...limits, ...(maxBodyKb !== undefined && { maxBodyBytes: maxBodyKb * 1024 }) },
    ...(mapping && { mapping }),
  };
}

export function policyInput(policy: PolicyTemplate | undefined): Record<string, unknown> {
  return {
    ...(policy?.maxAttempts !== undefined && { maxAttempts: policy.maxAttempts }),
    ...(policy?.scheduleSeconds && { scheduleMs: policy.scheduleSeconds.map((seconds) => Math.round(seconds * 1000)) }),
    ...(policy?.timeoutSeconds !== undefined && { timeoutMs: Math.round(policy.timeoutSeconds * 1000) }),
    ...(policy?.ordering && { ordering: policy.ordering }),
    ...(policy?.rateLimit !== undefined && { rateLimit: policy.rateLimit === 'off' ? null : policy.rateLimit }),
  };
}

/** The core destination config a rendered destination amounts to. */
export function destinationInput(client: ResolvedClient, destination: ResolvedDestination, secret: SecretLookup): DestinationConfigInput {
  const template = destination.template;
  const identity = { tenant: client.tenant, id: destination.key, name: destination.name, policy: policyInput(template.policy) };
  if (template.kind === 'webhook') {
    const signing = template.signing;
    return {
      kind: 'webhook',
      ...identity,
      url: template.url,
      ...(template.method && { method: template.method }),
      headers: { ...template.headers, ...template.secretHeaders },
      excludeAttributes: template.excludeAttributes ?? [],
      ...(template.bodyTemplate && { bodyTemplate: template.bodyTemplate }),
      signing: signing.scheme === 'none' ? { scheme: 'none' } : { ...signing, secret: secret(signing.secretEnv) },
    };
  }
  const base = { kind: 'incident-io' as const, ...identity, ...(template.baseUrl && { baseUrl: template.baseUrl }) };
  if (template.target === 'alert_event') {
    return { ...base, target: 'alert_event', alertSourceConfigId: template.alertSourceConfigId, alertSourceToken: secret(template.alertSourceTokenEnv) };
  }
  return {
    ...base,
    target: 'incident',
    apiKey: secret(template.apiKeyEnv),
    ...(template.visibility && { visibility: template.visibility }),
    ...(template.mode && { mode: template.mode }),
    severityIds: template.severityIds ?? {},
    statusIds: template.statusIds ?? {},
  };
}
