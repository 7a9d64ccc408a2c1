import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { startServer } from '../../../delivery/support/http-server';

/** incident.io's documented limit for one HTTP alert source. */
export const ALERT_SOURCE_PER_MINUTE = 120;
const MINUTE = 60_000;

export interface AlertEventRequest {
  alertSource: string;
  at: number;
  status: number;
  dedupeKey?: string;
  alertStatus?: string;
  canonicalId?: string;
}

/**
 * incident.io's HTTP alert source endpoint (`POST /v2/alert_events/http/{id}`, bearer token). Like the real
 * one it answers 429 once an alert source has taken 120 events in the last minute; every request is recorded
 * with its time, so a check can count the busiest minute per alert source across all processes.
 */
export class AlertSourceStandIn {
  readonly requests: AlertEventRequest[] = [];

  private constructor(
    readonly url: string,
    private readonly token: string,
    private readonly closeServer: () => Promise<void>,
  ) {}

  static async start(token: string): Promise<AlertSourceStandIn> {
    let standIn!: AlertSourceStandIn;
    const server = await startServer((request, body, response) => standIn.handle(request.method ?? '', request.url ?? '', request.headers, body, response));
    standIn = new AlertSourceStandIn(server.url, token, server.close);
    return standIn;
  }

  /** Requests per alert source in the busiest sliding minute (whatever they were answered: the limit is on sending). */
  busiestMinute(): Record<string, number> {
    const busiest: Record<string, number> = {};
    for (const source of new Set(this.requests.map((request) => request.alertSource))) {
      const times = this.requests.filter((request) => request.alertSource === source).map((request) => request.at);
      let start = 0;
      let most = 0;
      for (let end = 0; end < times.length; end++) {
        while (times[end]! - times[start]! >= MINUTE) start++;
        most = Math.max(most, end - start + 1);
      }
      busiest[source] = most;
    }
    return busiest;
  }

  accepted(source?: string): AlertEventRequest[] {
    return this.requests.filter((request) => request.status < 300 && (source === undefined || request.alertSource === source));
  }

  refused(): AlertEventRequest[] {
    return this.requests.filter((request) => request.status === 429);
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, response: ServerResponse): void {
    const match = /^\/v2\/alert_events\/http\/([^/?]+)/.exec(path);
    if (method !== 'POST' || !match) return json(response, 404, { type: 'not_found', status: 404 });
    if (headers.authorization !== `Bearer ${this.token}`) return json(response, 401, { type: 'authentication_error', status: 401 });
    const alertSource = decodeURIComponent(match[1]!);
    const now = Date.now();
    const lastMinute = this.accepted(alertSource).filter((request) => now - request.at < MINUTE).length;
    const event = parse(body);
    const status = lastMinute >= ALERT_SOURCE_PER_MINUTE ? 429 : 202;
    this.requests.push({ alertSource, at: now, status, dedupeKey: event.deduplication_key, alertStatus: event.status, canonicalId: event.metadata?.canonical_id });
    if (status === 429) return json(response, 429, { type: 'too_many_requests', status: 429 }, { 'retry-after': '10' });
    json(response, 202, { status: 'success', message: 'Event accepted for processing', deduplication_key: event.deduplication_key });
  }
}

function parse(body: Buffer): { deduplication_key?: string; status?: string; metadata?: { canonical_id?: string } } {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
