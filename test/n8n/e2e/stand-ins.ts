import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

/** A loopback HTTP server that records every request and answers through `answer`. */
export class StandIn {
  readonly requests: Recorded[] = [];
  private server?: Server;

  constructor(private readonly answer: (request: Recorded, response: ServerResponse) => void) {}

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const recorded: Recorded = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status: 0 };
        this.requests.push(recorded);
        this.answer(recorded, response);
        recorded.status = response.statusCode;
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** A webhook receiver that can be taken down: while `outage` > 0 it answers 503 (with Retry-After) and counts down. */
export function receiverStandIn(): StandIn & { failNext(count: number, retryAfterSeconds?: number): void } {
  let outage = 0;
  let retryAfter = '1';
  const standIn = new StandIn((_request, response) => {
    if (outage > 0) {
      outage--;
      json(response, 503, { error: 'down for maintenance' }, { 'retry-after': retryAfter });
      return;
    }
    json(response, 200, { ok: true });
  });
  const failNext = (count: number, retryAfterSeconds = 1) => {
    outage = count;
    retryAfter = String(retryAfterSeconds);
  };
  return Object.assign(standIn, { failNext });
}

/** The parts of incident.io's API the nodes use, checking the bearer key. */
export function incidentIoStandIn(apiKey: string): StandIn {
  let created = 0;
  return new StandIn((request, response) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return json(response, 401, { type: 'authentication_error', status: 401 });
    if (request.method === 'GET' && request.path === '/v1/identity') return json(response, 200, { identity: { name: 'e2e', roles: ['incident_creator'] } });
    if (request.method === 'GET' && request.path === '/v1/severities') {
      return json(response, 200, { severities: [{ id: 'sev_critical', name: 'Critical' }, { id: 'sev_major', name: 'Major' }, { id: 'sev_minor', name: 'Minor' }] });
    }
    if (request.method === 'GET' && request.path === '/v1/incident_types') return json(response, 200, { incident_types: [{ id: 'type_security', name: 'Security', description: 'Security incidents' }] });
    if (request.method === 'GET' && request.path === '/v1/incident_statuses') return json(response, 200, { incident_statuses: [{ id: 'status_triage', name: 'Triage' }, { id: 'status_closed', name: 'Closed' }] });
    if (request.method === 'POST' && request.path === '/v2/incidents') {
      const body = JSON.parse(request.body) as { name?: string; severity_id?: string };
      created++;
      return json(response, 200, { incident: { id: `01INCIDENTIO${created}`, name: body.name, severity: { id: body.severity_id } } });
    }
    if (request.method === 'POST' && /^\/v2\/incidents\/[^/]+\/actions\/edit$/.test(request.path)) return json(response, 200, { incident: {} });
    return json(response, 404, { type: 'not_found', status: 404 });
  });
}
