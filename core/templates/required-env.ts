import { parseHeaderReference, parseSecretReference } from '../secrets/secret-reference';
import type { ResolvedClient } from './resolve-template';
import type { Template } from './template-schema';

/** One environment variable a template refers to, and where. */
export interface EnvReference {
  name: string;
  path: string[];
  /** What it holds, for the render summary and the hosts' notes. */
  holds: string;
}

/** Every secret reference in a template, in file order. */
export function requiredEnv(template: Template, clients: readonly ResolvedClient[]): EnvReference[] {
  const references: EnvReference[] = [];
  if (template.store.postgresUrlEnv) references.push({ name: template.store.postgresUrlEnv, path: ['store', 'postgresUrlEnv'], holds: 'the PostgreSQL URL of the intake store' });
  for (const client of clients) references.push(...clientEnv(client));
  return references;
}

export function clientEnv(client: ResolvedClient): EnvReference[] {
  const references: EnvReference[] = [];
  const at = (...path: string[]) => ['clients', client.key, ...path];
  for (const source of client.sources) {
    const { auth } = source.template;
    if (auth.secretEnv) references.push({ name: auth.secretEnv, path: at('sources', source.key, 'auth', 'secretEnv'), holds: `the ${auth.scheme} secret of source ${source.key}` });
    if (auth.previousSecretEnv) references.push({ name: auth.previousSecretEnv, path: at('sources', source.key, 'auth', 'previousSecretEnv'), holds: `the previous secret of source ${source.key}` });
  }
  for (const destination of client.destinations) {
    const template = destination.template;
    const path = at('destinations', destination.key);
    if (template.kind === 'webhook') {
      for (const [header, value] of Object.entries(template.secretHeaders ?? {})) {
        const reference = parseHeaderReference(value)?.reference;
        if (reference?.kind === 'env') references.push({ name: reference.name, path: [...path, 'secretHeaders', header], holds: `the ${header} header for ${destination.key}` });
      }
      const url = parseSecretReference(template.url);
      if (url?.kind === 'env') references.push({ name: url.name, path: [...path, 'url'], holds: `the URL of ${destination.key}` });
    }
    if (template.kind === 'webhook' && template.signing.scheme !== 'none') references.push({ name: template.signing.secretEnv, path: [...path, 'signing', 'secretEnv'], holds: `the signing secret for ${destination.key}` });
    if (template.kind === 'incident-io' && template.target === 'incident') references.push({ name: template.apiKeyEnv, path: [...path, 'apiKeyEnv'], holds: `the incident.io API key for ${destination.key}` });
    if (template.kind === 'incident-io' && template.target === 'alert_event') references.push({ name: template.alertSourceTokenEnv, path: [...path, 'alertSourceTokenEnv'], holds: `the incident.io alert source token for ${destination.key}` });
  }
  if (client.review) references.push({ name: client.review.tokenEnv, path: at('review', 'tokenEnv'), holds: 'the token reviewers send in X-Review-Token' });
  return references;
}
