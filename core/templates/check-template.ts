import { checkCoreConfigs, PLACEHOLDER_SECRET, placeholderSecrets } from './check-core-configs';
import { checkReferences } from './check-references';
import type { SecretLookup } from './core-inputs';
import { checkHostSupport, HOSTS, type Host } from './hosts';
import { literalSecretIssues } from './literal-secrets';
import { parseTemplateText } from './parse-template-text';
import { requiredEnv } from './required-env';
import { resolveClients, type ResolvedClient } from './resolve-template';
import { schemaIssues } from './schema-issues';
import { templateError, type TemplateIssue } from './template-issue';
import { templateSchema, type Template } from './template-schema';

export interface TemplateCheckOptions {
  /** Hosts the template must render for; default both. */
  hosts?: readonly Host[];
  /** Also check that every referenced environment variable is set and each secret works with its scheme. */
  env?: NodeJS.ProcessEnv;
}

export interface TemplateCheck {
  /** No errors (warnings allowed). */
  ok: boolean;
  template?: Template;
  clients: ResolvedClient[];
  issues: TemplateIssue[];
}

/** Parses and validates a template text (YAML or JSON): schema, references, core configs and host support. */
export function checkTemplate(text: string, options: TemplateCheckOptions = {}): TemplateCheck {
  const parsed = parseTemplateText(text);
  if (parsed.issues.length > 0) return { ok: false, clients: [], issues: parsed.issues };
  const result = checkTemplateValue(parsed.value, options);
  const issues = result.issues.map((issue) => ({ ...issue, ...parsed.locate(issue.path.split('.')) }));
  return { ...result, issues };
}

/** The same checks on already parsed data (no positions). */
export function checkTemplateValue(value: unknown, options: TemplateCheckOptions = {}): TemplateCheck {
  const literals = literalSecretIssues(value);
  const schema = templateSchema.safeParse(value);
  if (!schema.success) return { ok: false, clients: [], issues: [...literals, ...withoutRepeats(schemaIssues(schema.error), literals)] };
  const template = schema.data;
  const clients = resolveClients(template);
  const env = options.env;
  const { issues: envIssues, lookup } = env ? environmentSecrets(template, clients, env) : { issues: [], lookup: placeholderSecrets };
  const verifySecrets = (names: string[]) => env !== undefined && names.every((name) => Boolean(env[name]));
  const issues = [
    ...literals,
    ...checkReferences(clients),
    ...envIssues,
    ...clients.flatMap((client) => checkCoreConfigs(client, lookup, verifySecrets)),
    ...clients.flatMap((client) => (options.hosts ?? HOSTS).flatMap((host) => checkHostSupport(client, host))),
  ];
  return { ok: !issues.some((issue) => issue.severity === 'error'), template, clients, issues };
}

/** A field already reported as holding a literal secret needs no second message about its format. */
function withoutRepeats(issues: TemplateIssue[], literals: TemplateIssue[]): TemplateIssue[] {
  const reported = new Set(literals.map((issue) => issue.path));
  return issues.filter((issue) => !reported.has(issue.path));
}

/** Secrets from the environment; a missing one is reported once and stood in for, so it causes no second error. */
function environmentSecrets(template: Template, clients: ResolvedClient[], env: NodeJS.ProcessEnv): { issues: TemplateIssue[]; lookup: SecretLookup } {
  const issues = requiredEnv(template, clients)
    .filter((reference) => !env[reference.name])
    .map((reference) => templateError(reference.path, `environment variable ${reference.name} is not set (it should hold ${reference.holds})`));
  return { issues, lookup: (name) => env[name] || PLACEHOLDER_SECRET };
}
