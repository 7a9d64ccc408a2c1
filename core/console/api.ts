import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../clock';
import type { Store } from '../store/store';
import { authenticateApiToken, type ApiConsumer } from './api-tokens';
import { decodeCursor, pageLimit } from './cursor';
import { HttpError, sendJson } from './http';
import { allDestinationHealth, allSourceHealth, eventPage, incidentPage, type IncidentSummary } from './queries';
import type { ConsolePrincipal } from './roles';
import type { ConsoleSession } from './sessions';
import type { FileApiToken } from './users';

export interface ApiRequest {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  path: string;
  store: Store;
  now: number;
  session: ConsoleSession | undefined;
  fileTokens: readonly FileApiToken[];
  tenantsOf(principal: ConsolePrincipal): Promise<string[]>;
}

function incidentJson({ incident, evidenceCount, nextReport }: IncidentSummary) {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    sourceId: incident.sourceId,
    provider: incident.provider,
    owner: incident.owner,
    affectedSystems: incident.canonical.affectedSystems,
    createdAt: new Date(incident.createdAt).toISOString(),
    updatedAt: new Date(incident.updatedAt).toISOString(),
    resolvedAt: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
    doraMajor: incident.doraMajor,
    nis2Significant: incident.nis2Significant,
    evidenceCount,
    nextReport,
  };
}

async function consumerOf(api: ApiRequest): Promise<{ id: string; tenants: string[] | '*' }> {
  const header = api.request.headers.authorization;
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const consumer: ApiConsumer | undefined = token ? await authenticateApiToken(api.store, token, api.fileTokens, api.now) : undefined;
    if (!consumer) throw new HttpError(401, 'the API token is not valid (or was revoked)', { 'WWW-Authenticate': 'Bearer' });
    return consumer;
  }
  if (api.session) return api.session.principal;
  throw new HttpError(401, 'send an API token: Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer' });
}

async function tenantFor(api: ApiRequest, consumer: { id: string; tenants: string[] | '*' }): Promise<string> {
  const asked = api.url.searchParams.get('tenant');
  const allowed = consumer.tenants === '*' ? await api.tenantsOf({ id: consumer.id, name: consumer.id, roles: ['viewer'], tenants: '*' }) : consumer.tenants;
  if (asked) {
    if (consumer.tenants !== '*' && !consumer.tenants.includes(asked)) throw new HttpError(403, 'this token may not read that tenant');
    return asked;
  }
  if (allowed.length !== 1 && !api.session?.tenant) throw new HttpError(400, 'name the tenant: ?tenant=NAME');
  return api.session?.tenant && allowed.includes(api.session.tenant) ? api.session.tenant : allowed[0]!;
}

/**
 * The read-only JSON API (`/api/v1/...`): viewer scope whatever the consumer, keyset pages with `next`, the
 * same queries the pages use. Tokens only read; there is no write route here.
 */
export async function handleApi(api: ApiRequest): Promise<void> {
  if (api.request.method !== 'GET') throw new HttpError(405, 'the API is read-only: GET only');
  const consumer = await consumerOf(api);
  const tenant = await tenantFor(api, consumer);
  const query = api.url.searchParams;
  const limit = pageLimit(query.get('limit'), 50);
  const after = decodeCursor(query.get('after'));
  const clock = { now: () => api.now };
  switch (api.path) {
    case '/api/v1/incidents': {
      const view = query.get('view') === 'recent' ? 'recent' : 'active';
      const since = query.get('since') ? Date.parse(query.get('since')!) : api.now - 7 * 86_400_000;
      if (Number.isNaN(since)) throw new HttpError(400, 'since must be an ISO 8601 time');
      const page = await incidentPage(api.store, tenant, { view, since, after, limit });
      return sendJson(api.response, 200, { tenant, view, items: page.items.map(incidentJson), next: page.next ?? null });
    }
    case '/api/v1/review-queue': {
      const page = await eventPage(api.store, tenant, { state: 'pending_review', sourceId: query.get('source') || undefined, after, limit });
      const items = page.items.map((event) => {
        const candidate = (event.candidate ?? {}) as Record<string, unknown>;
        return { id: event.id, sourceId: event.sourceId, receivedAt: new Date(event.receivedAt).toISOString(), title: candidate.title ?? null, severity: candidate.severity ?? null, mappingVersion: event.mappingVersion };
      });
      return sendJson(api.response, 200, { tenant, items, next: page.next ?? null });
    }
    case '/api/v1/sources': {
      const health = await allSourceHealth(api.store, tenant, clock ?? systemClock);
      const items = health.map(({ source, last24h, requestsThisHour }) => ({
        id: source.id,
        name: source.name,
        provider: source.provider,
        enabled: source.enabled,
        disabledReason: source.disabledReason,
        lastError: source.lastError,
        lastErrorAt: source.lastErrorAt === null ? null : new Date(source.lastErrorAt).toISOString(),
        lastTestPassedAt: source.testPassedAt === null ? null : new Date(source.testPassedAt).toISOString(),
        last24h,
        requestsThisHour,
      }));
      return sendJson(api.response, 200, { tenant, items, next: null });
    }
    case '/api/v1/destinations': {
      const items = (await allDestinationHealth(api.store, tenant)).map((health) => ({ ...health, lastResultAt: health.lastResultAt === null ? null : new Date(health.lastResultAt).toISOString() }));
      return sendJson(api.response, 200, { tenant, items, next: null });
    }
    default:
      throw new HttpError(404, 'no such API route; see /api/v1/incidents, /api/v1/review-queue, /api/v1/sources, /api/v1/destinations');
  }
}
