import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { missing, shapeOf, violations, type Shape } from './contract-shape';
import { incidentIoFixture } from './fixtures';
import { startServer } from './http-server';
import type { Behaviour } from './webhook-receiver';

interface RouteContract {
  shape: Shape;
  required: string[];
  enums: Record<string, readonly string[]>;
}

/** Documented fields the examples do not happen to use (REFERENCE §3), so the contract allows them too. */
const CUSTOM_FIELD_EXTRAS = {
  custom_field_id: 'x',
  values: [{ value_text: 'x' }, { value_link: 'x' }, { value_catalog_entry_id: 'x' }, { value_option_id: 'x' }, { value_numeric: '1' }],
};

const CONTRACTS: Record<'alert' | 'create' | 'edit', RouteContract> = {
  alert: {
    shape: shapeOf([incidentIoFixture('alert_event.firing.request'), incidentIoFixture('alert_event.resolved.request')], ['metadata']),
    required: ['title', 'status', 'deduplication_key'],
    enums: { status: ['firing', 'resolved'] },
  },
  create: {
    shape: shapeOf([incidentIoFixture('create_incident.request'), { incident_status_id: 'x', custom_field_entries: [CUSTOM_FIELD_EXTRAS] }]),
    required: ['idempotency_key', 'visibility'],
    enums: { visibility: ['public', 'private'], mode: ['standard', 'retrospective', 'test', 'tutorial'] },
  },
  edit: {
    shape: shapeOf([incidentIoFixture('edit_incident.request'), { incident: { name: 'x', custom_field_entries: [CUSTOM_FIELD_EXTRAS] } }]),
    required: ['incident', 'notify_incident_channel'],
    enums: {},
  },
};

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  violations: string[];
}

export interface StandInOptions {
  apiKey: string;
  alertSources: Record<string, string>;
  severities?: Array<{ id: string; name: string; rank: number }>;
  /** Enforce incident.io's per-alert-source limit (120/min for real), in the test's time. */
  alertEventsPerMinute?: number;
  now?: () => number;
}

export const DEFAULT_SEVERITIES = [
  { id: '01FH5TZRWMNAFB0DZ23FD1TV96', name: 'Critical', rank: 3 },
  { id: '01FH5TZRWMNAFB0DZ23FD1TV95', name: 'Major', rank: 2 },
  { id: '01FH5TZRWMNAFB0DZ23FD1TV94', name: 'Minor', rank: 1 },
];

/**
 * A stand-in for the incident.io API on 127.0.0.1. It checks every request body against the contract
 * examples (test/fixtures/incident-io, copied from the shared reference) and answers like the real API:
 * 202 for alert events, 200 for create/edit, 401 for a wrong credential, 422 for a body that breaks the
 * contract or lacks a severity, and whatever a test scripts (e.g. 429 with Retry-After).
 */
export class IncidentIoStandIn {
  readonly requests: StandInRequest[] = [];
  private readonly script: Behaviour[] = [];
  private readonly incidentsByKey = new Map<string, { id: string; name: string }>();
  private readonly incidentsById = new Map<string, Record<string, unknown>>();
  private readonly alertTimes = new Map<string, number[]>();
  /** How many requests were refused with 429 by the stand-in's own rate limit. */
  rateLimited = 0;
  /** When each accepted alert event arrived (the stand-in's clock), per alert source. */
  readonly acceptedAlerts = new Map<string, number[]>();

  private constructor(
    readonly url: string,
    private readonly closeServer: () => Promise<void>,
    private readonly options: StandInOptions,
  ) {}

  static async start(options: StandInOptions): Promise<IncidentIoStandIn> {
    let standIn!: IncidentIoStandIn;
    const server = await startServer((request, body, response) => standIn.handle(request.method ?? '', request.url ?? '', request.headers, body, response));
    standIn = new IncidentIoStandIn(server.url, server.close, options);
    return standIn;
  }

  respondWith(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Every contract violation seen in any request. */
  get contractViolations(): string[] {
    return this.requests.flatMap((request) => request.violations.map((violation) => `${request.method} ${request.path} ${violation}`));
  }

  incident(id: string): Record<string, unknown> | undefined {
    return this.incidentsById.get(id);
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, raw: Buffer, response: ServerResponse): void {
    const body = raw.length > 0 ? safeJson(raw) : undefined;
    const route = routeOf(method, path);
    const found = route && route.contract ? this.check(CONTRACTS[route.contract], body) : [];
    this.requests.push({ method, path, headers, body, violations: found });
    const scripted = this.script.shift();
    if (scripted) return void act(scripted, response);
    if (!route) return json(response, 404, { type: 'not_found', status: 404, errors: [{ code: 'not_found', message: 'no such route' }] });
    if (!this.authorised(route, headers.authorization)) return json(response, 401, incidentIoFixture('error.401.response'));
    if (found.length > 0) return json(response, 422, validationError(found));
    this.answer(route, body as Record<string, unknown>, response);
  }

  private check(contract: RouteContract, body: unknown): string[] {
    const problems = [...missing(body, contract.required), ...violations(body, contract.shape)];
    for (const [field, allowed] of Object.entries(contract.enums)) {
      const value = (body as Record<string, unknown> | undefined)?.[field];
      if (value !== undefined && !allowed.includes(value as string)) problems.push(`$.${field}: must be one of ${allowed.join(', ')}`);
    }
    return problems;
  }

  private authorised(route: Route, authorization: string | undefined): boolean {
    const expected = route.name === 'alert' ? this.options.alertSources[route.id ?? ''] : this.options.apiKey;
    return expected !== undefined && authorization === `Bearer ${expected}`;
  }

  private answer(route: Route, body: Record<string, unknown>, response: ServerResponse): void {
    switch (route.name) {
      case 'alert':
        if (this.overLimit(route.id!, response)) return;
        this.acceptedAlerts.set(route.id!, [...(this.acceptedAlerts.get(route.id!) ?? []), (this.options.now ?? Date.now)()]);
        return json(response, 202, { deduplication_key: body.deduplication_key, message: 'Event accepted for processing', status: 'success' });
      case 'severities':
        return json(response, 200, { severities: this.options.severities ?? DEFAULT_SEVERITIES });
      case 'create':
        return this.create(body, response);
      case 'edit':
        return this.edit(route.id!, body, response);
    }
  }

  /** The most alert events one alert source accepted within any one minute (a sliding window over arrival times). */
  busiestMinute(sourceId: string): number {
    const times = [...(this.acceptedAlerts.get(sourceId) ?? [])].sort((a, b) => a - b);
    let most = 0;
    for (let first = 0, last = 0; last < times.length; last++) {
      while (times[last]! - times[first]! >= 60_000) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  /** A sliding one-minute window per alert source; over the limit, a 429 like the real one. */
  private overLimit(sourceId: string, response: ServerResponse): boolean {
    const limit = this.options.alertEventsPerMinute;
    if (limit === undefined) return false;
    const now = (this.options.now ?? Date.now)();
    const recent = (this.alertTimes.get(sourceId) ?? []).filter((at) => at > now - 60_000);
    this.alertTimes.set(sourceId, recent);
    if (recent.length < limit) {
      recent.push(now);
      return false;
    }
    this.rateLimited++;
    const retryAfter = new Date(Math.ceil((recent[0]! + 60_000) / 1000) * 1000).toUTCString();
    const body = incidentIoFixture<{ rate_limit: Record<string, unknown> }>('error.429.response');
    body.rate_limit = { ...body.rate_limit, limit, retry_after: retryAfter.replace('GMT', 'UTC') };
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
    response.end(JSON.stringify(body));
    return true;
  }

  private create(body: Record<string, unknown>, response: ServerResponse): void {
    if (body.severity_id === undefined) return json(response, 422, incidentIoFixture('error.422.response'));
    const key = String(body.idempotency_key);
    let known = this.incidentsByKey.get(key);
    if (!known) {
      known = { id: `01HZ${String(this.incidentsByKey.size + 1).padStart(22, '0')}`, name: String(body.name ?? '') };
      this.incidentsByKey.set(key, known);
      this.incidentsById.set(known.id, { id: known.id, reference: `INC-${this.incidentsByKey.size}`, ...body });
    }
    json(response, 200, { incident: this.incidentsById.get(known.id) });
  }

  private edit(id: string, body: Record<string, unknown>, response: ServerResponse): void {
    const current = this.incidentsById.get(id);
    if (!current) return json(response, 404, { type: 'not_found', status: 404, errors: [{ code: 'not_found', message: 'Incident not found' }] });
    const updated = { ...current, ...(body.incident as Record<string, unknown>) };
    this.incidentsById.set(id, updated);
    json(response, 200, { incident: updated });
  }
}

interface Route {
  name: 'alert' | 'create' | 'edit' | 'severities';
  contract?: 'alert' | 'create' | 'edit';
  id?: string;
}

function routeOf(method: string, path: string): Route | undefined {
  const alert = /^\/v2\/alert_events\/http\/([^/?]+)$/.exec(path);
  if (method === 'POST' && alert) return { name: 'alert', contract: 'alert', id: decodeURIComponent(alert[1]!) };
  if (method === 'POST' && path === '/v2/incidents') return { name: 'create', contract: 'create' };
  const edit = /^\/v2\/incidents\/([^/?]+)\/actions\/edit$/.exec(path);
  if (method === 'POST' && edit) return { name: 'edit', contract: 'edit', id: decodeURIComponent(edit[1]!) };
  if (method === 'GET' && path === '/v1/severities') return { name: 'severities' };
  return undefined;
}

function validationError(problems: string[]): Record<string, unknown> {
  return {
    type: 'validation_error',
    status: 422,
    request_id: 'stand-in',
    errors: problems.map((problem) => ({ code: 'invalid', message: problem, source: { field: problem.split(':')[0]!.replace(/^\$\./, '') } })),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function act(behaviour: Behaviour, response: ServerResponse): Promise<void> {
  if ('delayMs' in behaviour) {
    await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    return act(behaviour.then, response);
  }
  if ('reset' in behaviour) return void response.socket?.resetAndDestroy();
  if ('hang' in behaviour) return;
  response.writeHead(behaviour.status, behaviour.headers);
  response.end(behaviour.body ?? '');
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}
