import { destinationSchema } from '../delivery/destination-config';
import { sourceConfigSchema } from '../intake/source-config';
import { validateMappingConfig } from '../mapping/validate-mapping-config';
import { checkAuthConfig } from '../signing/check-auth-config';
import { destinationInput, sourceDefinitionInput, type SecretLookup } from './core-inputs';
import type { ResolvedClient } from './resolve-template';
import { templateError, type TemplateIssue } from './template-issue';

/** Stands in for every secret when only the template is checked: valid for each scheme, obviously not real. */
export const PLACEHOLDER_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

export const placeholderSecrets: SecretLookup = () => PLACEHOLDER_SECRET;

/**
 * Builds the core configs each rendered source and destination amounts to and validates them as the hosts
 * will at deploy time: every JSONata text compiles, limits and destinations are valid. For sources whose
 * secrets `verifySecrets` vouches for (all set in the environment), also that each works with its scheme.
 */
export function checkCoreConfigs(client: ResolvedClient, secret: SecretLookup, verifySecrets: (names: string[]) => boolean): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const source of client.sources) {
    const at = ['clients', client.key, 'sources', source.key];
    const input = sourceDefinitionInput(client, source, secret);
    const { mapping = {}, ...sourceInput } = input;
    const parsed = sourceConfigSchema.safeParse(sourceInput);
    if (!parsed.success) for (const issue of parsed.error.issues) issues.push(templateError([...at, ...issue.path], issue.message));
    const mappingCheck = validateMappingConfig({ ...mapping, provider: input.provider });
    if (!mappingCheck.ok) {
      for (const issue of mappingCheck.issues) {
        const where = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column} of the expression)` : '';
        issues.push(templateError([...at, 'mapping', ...issue.field.split('.')], `${issue.message}${where}`));
      }
    }
    const names = [source.template.auth.secretEnv, source.template.auth.previousSecretEnv].filter((name) => name !== undefined);
    if (parsed.success && verifySecrets(names)) {
      const auth = checkAuthConfig(parsed.data.auth);
      if (!auth.ok) issues.push(templateError([...at, 'auth'], auth.message));
    }
  }
  for (const destination of client.destinations) {
    const parsed = destinationSchema.safeParse(destinationInput(client, destination, secret));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(templateError(['clients', client.key, 'destinations', destination.key, ...issue.path.map(templateKeyFor)], issue.message));
    }
  }
  return issues;
}

/** Core fields that hold secrets are `<field>Env` references in the template. */
function templateKeyFor(part: PropertyKey): PropertyKey {
  return part === 'secret' || part === 'apiKey' || part === 'alertSourceToken' ? `${String(part)}Env` : part;
}
