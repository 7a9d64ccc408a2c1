import type { ResolvedClient } from './resolve-template';
import { templateError, templateWarning, type TemplateIssue } from './template-issue';

/** What the schema cannot see: destinations named but not defined, and routes or tenants used twice. */
export function checkReferences(clients: readonly ResolvedClient[]): TemplateIssue[] {
  return [...clients.flatMap(checkDeliverTo), ...checkRoutes(clients), ...checkTenants(clients), ...clients.flatMap(checkReview)];
}

function checkDeliverTo(client: ResolvedClient): TemplateIssue[] {
  const defined = new Set(client.destinations.map((destination) => destination.key));
  const issues = client.sources.flatMap((source) =>
    source.deliverTo.flatMap((key, index) =>
      defined.has(key) ? [] : [templateError(['clients', client.key, 'sources', source.key, 'deliverTo', index], `names destination "${key}", which client ${client.key} does not define`)],
    ),
  );
  const used = new Set([...client.sources.flatMap((source) => source.deliverTo), ...(client.review?.deliverTo ?? [])]);
  for (const destination of client.destinations) {
    if (!used.has(destination.key)) issues.push(templateWarning(['clients', client.key, 'destinations', destination.key], 'no source delivers to it'));
  }
  return issues;
}

function checkRoutes(clients: readonly ResolvedClient[]): TemplateIssue[] {
  const seen = new Map<string, string>();
  const issues: TemplateIssue[] = [];
  const claim = (route: string, path: string[]) => {
    const owner = seen.get(route.toLowerCase());
    if (owner) issues.push(templateError(path, `route ${route} is already used by ${owner}`));
    else seen.set(route.toLowerCase(), path.join('.'));
  };
  for (const client of clients) {
    for (const source of client.sources) claim(source.path, ['clients', client.key, 'sources', source.key, 'path']);
    if (client.review) claim(client.review.path, ['clients', client.key, 'review', 'path']);
  }
  return issues;
}

/** One tenant per client keeps MSP customers apart in the store: review queues, budgets and audit trails. */
function checkTenants(clients: readonly ResolvedClient[]): TemplateIssue[] {
  const owners = new Map<string, string>();
  return clients.flatMap((client) => {
    const owner = owners.get(client.tenant);
    if (owner) return [templateError(['clients', client.key, 'tenant'], `tenant "${client.tenant}" already belongs to client ${owner}; clients share no tenant`)];
    owners.set(client.tenant, client.key);
    return [];
  });
}

function checkReview(client: ResolvedClient): TemplateIssue[] {
  const inReview = client.sources.filter((source) => source.template.mode === 'review');
  if (inReview.length === 0 || client.review) return [];
  return [templateWarning(['clients', client.key], `sources in review mode (${inReview.map((source) => source.key).join(', ')}) but no review endpoint: add review.tokenEnv, or promote with the hosts' review nodes`)];
}
