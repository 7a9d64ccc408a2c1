import type { DestinationTemplate } from './destination-template';
import type { LimitsTemplate, SourceTemplate } from './source-template';
import type { ClientTemplate, Template } from './template-schema';

/** A source with every default of the template applied: what both renderers and the checks work from. */
export interface ResolvedSource {
  key: string;
  /** The source id in the store (unique per tenant). */
  id: string;
  name: string;
  path: string;
  limits: LimitsTemplate;
  template: SourceTemplate;
  deliverTo: string[];
}

export interface ResolvedDestination {
  key: string;
  name: string;
  template: DestinationTemplate;
}

export interface ResolvedClient {
  key: string;
  name: string;
  tenant: string;
  sources: ResolvedSource[];
  destinations: ResolvedDestination[];
  review?: { path: string; tokenEnv: string; deliverTo: string[] };
}

export function resolveClients(template: Template): ResolvedClient[] {
  return Object.entries(template.clients).map(([key, client]) => resolveClient(key, client));
}

export function resolveClient(key: string, client: ClientTemplate): ResolvedClient {
  const destinationKeys = Object.keys(client.destinations);
  const sources = Object.entries(client.sources).map(([sourceKey, source]) => ({
    key: sourceKey,
    id: sourceKey,
    name: source.name ?? `${client.name ?? key} ${sourceKey}`,
    path: source.path ?? `/intake/${key}/${sourceKey}`,
    limits: { ...client.limits, ...source.limits },
    template: source,
    deliverTo: source.deliverTo ?? destinationKeys,
  }));
  const reviewed = sources.filter((source) => source.template.mode === 'review');
  return {
    key,
    name: client.name ?? key,
    tenant: client.tenant ?? key,
    sources,
    destinations: Object.entries(client.destinations).map(([destinationKey, destination]) => ({
      key: destinationKey,
      name: destination.name ?? destinationKey,
      template: destination,
    })),
    ...(client.review && {
      review: {
        path: client.review.path ?? `/${key}/review`,
        tokenEnv: client.review.tokenEnv,
        deliverTo: [...new Set(reviewed.flatMap((source) => source.deliverTo))],
      },
    }),
  };
}
