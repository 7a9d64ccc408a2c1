import jsonata from 'jsonata';
import { parse as parseYaml } from 'yaml';
import { parseConsoleUsers } from '../../core/console/users';
import { previewMapping } from '../../core/mapping/preview-mapping';
import { isProvider } from '../../core/mapping/providers';
import { validateMappingConfig } from '../../core/mapping/validate-mapping-config';
import { checkTemplateValue, formatTemplateIssue } from '../../core/templates';
import { replayFilter } from '../../node-red/shared/replay-dead-letters';

/** Parses a JSON, YAML or JSONata block; throws with the parser's message. */
export function parseBlock(lang: string, content: string): unknown {
  if (lang === 'json') return JSON.parse(content);
  if (lang === 'yaml' || lang === 'yml') return parseYaml(content, { uniqueKeys: true });
  if (lang === 'jsonata') return jsonata(content);
  return content;
}

/** A console users file (CLI --users, the n8n console credential) as the console parses it. */
function consoleUsersProblems(value: unknown): string[] {
  try {
    parseConsoleUsers(JSON.stringify(value));
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

function templateProblems(template: unknown): string[] {
  const check = checkTemplateValue(template, { hosts: [] });
  return check.issues.filter((issue) => issue.severity === 'error').map((issue) => formatTemplateIssue(issue));
}

/** The example Alertmanager receiver: a webhook to an intake route, resolved alerts sent, a bearer token. */
function alertmanagerProblems(config: any): string[] {
  const hooks = (config?.receivers ?? []).flatMap((receiver: any) => receiver.webhook_configs ?? []);
  if (hooks.length === 0) return ['no receivers[].webhook_configs'];
  return hooks.flatMap((hook: any) => [
    ...(/\/intake\//.test(hook.url ?? '') ? [] : ['url is not an intake route']),
    ...(hook.send_resolved === true ? [] : ['send_resolved must be true']),
    ...(hook.http_config?.authorization?.type === 'Bearer' || hook.http_config?.basic_auth ? [] : ['no bearer or basic authorization']),
  ]);
}

/** Connection strings as the store takes them: postgres:// or postgresql:// with a host and a database. */
function storeUrlProblems(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => {
      try {
        const url = new URL(line);
        return /^postgres(ql)?:$/.test(url.protocol) && url.hostname && url.pathname.length > 1 ? [] : [`${line}: not a postgres://host/database URL`];
      } catch {
        return [`${line}: not a URL`];
      }
    });
}

/** A page of the console's read-only API: tenant, items and the keyset cursor of the next page. */
function apiPageProblems(value: any): string[] {
  return [
    ...(typeof value?.tenant === 'string' ? [] : ['no tenant']),
    ...(Array.isArray(value?.items) ? [] : ['no items list']),
    ...(value?.next === null || typeof value?.next === 'string' ? [] : ['next must be a cursor or null']),
  ];
}

/** A message for a Node-RED delivery node's replay: topic `replay`, and a filter the node accepts. */
function replayMessageProblems(value: any): string[] {
  if (value?.topic !== 'replay') return ['topic must be "replay"'];
  if (value.force !== undefined && typeof value.force !== 'boolean') return ['force must be true or false'];
  try {
    replayFilter(value.filter);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** Validates a block against the schema its marker names; returns the problems (empty when valid). */
export async function schemaProblems(schema: string, value: unknown): Promise<string[]> {
  if (schema === 'template') return templateProblems(value);
  if (schema === 'template-source') return templateProblems({ version: 1, clients: { acme: { sources: { example: value } } } });
  if (schema === 'template-destination') {
    return templateProblems({ version: 1, clients: { acme: { sources: { s: { provider: 'generic', mode: 'auto-create', auth: { scheme: 'none' } } }, destinations: { example: value } } } });
  }
  if (schema === 'mapping-config') {
    const validation = validateMappingConfig(value);
    return validation.ok ? [] : validation.issues.map((issue) => `${issue.field}: ${issue.message}`);
  }
  if (schema === 'alertmanager-config') return alertmanagerProblems(value);
  if (schema === 'store-urls') return storeUrlProblems(String(value));
  if (schema === 'console-users') return consoleUsersProblems(value);
  if (schema === 'console-api-page') return apiPageProblems(value);
  if (schema === 'node-red-replay-message') return replayMessageProblems(value);
  const provider = /^payload:(\w+)$/.exec(schema)?.[1];
  if (provider && isProvider(provider)) {
    const preview = await previewMapping(value, { provider });
    if (preview.quarantined.length > 0) return preview.quarantined.flatMap((item) => item.reasons.map((reason) => `${reason.field}: ${reason.message}`));
    return preview.candidates.length > 0 ? [] : ['maps to no incident'];
  }
  return [`unknown schema "${schema}"`];
}
