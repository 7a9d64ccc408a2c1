import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplate, type TemplateCheck } from '../../core/templates';

export const REPO = join(__dirname, '../..');
export const EXAMPLE_TEMPLATE = join(REPO, 'examples/templates/msp-clients.yaml');

export function exampleText(): string {
  return readFileSync(EXAMPLE_TEMPLATE, 'utf8');
}

/** The example template, checked; throws if it has errors. */
export function exampleCheck(): TemplateCheck & { template: NonNullable<TemplateCheck['template']> } {
  const check = checkTemplate(exampleText());
  if (!check.ok || !check.template) throw new Error(`example template invalid: ${JSON.stringify(check.issues)}`);
  return check as TemplateCheck & { template: NonNullable<TemplateCheck['template']> };
}

/** A minimal valid template (YAML) with one client and one source, to edit in tests. */
export const MINIMAL = `version: 1
clients:
  acme:
    sources:
      jira:
        provider: jira
        mode: auto-create
        auth:
          scheme: hub-sha256
          secretEnv: ACME_JIRA_SECRET
`;

export function errorsOf(check: TemplateCheck): string[] {
  return check.issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.line ?? '?'}:${issue.column ?? '?'} ${issue.path}: ${issue.message}`);
}
