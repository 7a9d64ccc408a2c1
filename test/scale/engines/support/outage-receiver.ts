import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startServer } from '../../../delivery/support/http-server';

export interface ReceivedDelivery {
  key: string;
  status: number;
  verified: boolean;
  incidentId?: string;
  version?: number;
  at: number;
}

/**
 * The signed-webhook receiver the clusters deliver every incident change to. Answers 503 with Retry-After
 * while an outage lasts ({@link failNext}: a number of requests, so that it happens however slow the run), 204
 * otherwise; records each request under its idempotency key
 * (`webhook-id`) with the incident and version it carried.
 */
export class OutageReceiver {
  readonly received: ReceivedDelivery[] = [];
  private outage = 0;

  private constructor(
    readonly url: string,
    private readonly secret: string,
    private readonly closeServer: () => Promise<void>,
  ) {}

  static async start(secret: string): Promise<OutageReceiver> {
    let receiver!: OutageReceiver;
    const server = await startServer((request, body, response) => receiver.handle(request.headers, body, response));
    receiver = new OutageReceiver(`${server.url}/incidents`, secret, server.close);
    return receiver;
  }

  failNext(requests: number): void {
    this.outage = requests;
  }

  get failed(): number {
    return this.received.filter((entry) => entry.status >= 500).length;
  }

  /** Successful requests per idempotency key. */
  successes(): Map<string, ReceivedDelivery[]> {
    const byKey = new Map<string, ReceivedDelivery[]>();
    for (const entry of this.received.filter((item) => item.status < 300)) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
    return byKey;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  private handle(headers: IncomingHttpHeaders, body: Buffer, response: ServerResponse): void {
    const status = this.outage > 0 ? 503 : 204;
    if (this.outage > 0) this.outage--;
    const data = parseData(body);
    this.received.push({ key: String(headers['webhook-id'] ?? ''), status, verified: this.verify(headers, body), incidentId: data?.id, version: data?.version, at: Date.now() });
    if (status === 503) response.writeHead(503, { 'retry-after': '1' }).end();
    else response.writeHead(204).end();
  }

  private verify(headers: IncomingHttpHeaders, body: Buffer): boolean {
    try {
      new Webhook(this.secret).verify(body, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }
}

function parseData(body: Buffer): { id?: string; version?: number } | undefined {
  try {
    return (JSON.parse(body.toString('utf8')) as { data?: { id?: string; version?: number } }).data;
  } catch {
    return undefined;
  }
}
