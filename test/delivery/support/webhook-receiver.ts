import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startServer } from './http-server';

/** What the receiver does with one request. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { delayMs: number; then: Behaviour }
  | { reset: true }
  | { hang: true };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Standard Webhooks verification with the official library; null when the request carried no signature. */
  verified: boolean | null;
  verifyError?: string;
}

/**
 * A generic webhook receiver on 127.0.0.1 that verifies Standard Webhooks signatures with the
 * `standardwebhooks` package, in the test's (fake) time. Answers 204 unless told otherwise.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: Behaviour[] = [];
  private fallback: Behaviour = { status: 204 };
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    readonly url: string,
    private readonly closeServer: () => Promise<void>,
  ) {}

  static async start(options: { secret?: string; now?: () => number } = {}): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = await startServer((request, body, response) => receiver.handle(request.method ?? '', request.url ?? '', request.headers, body, response, options));
    receiver = new WebhookReceiver(server.url, server.close);
    return receiver;
  }

  /** The next requests get these behaviours, in order; after that the fallback applies. */
  respondWith(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  alwaysRespond(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    await this.closeServer();
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, response: ServerResponse, options: { secret?: string; now?: () => number }): void {
    this.requests.push({ method, path, headers, body: body.toString('utf8'), ...verify(headers, body, options) });
    void this.act(this.script.shift() ?? this.fallback, response);
  }

  private async act(behaviour: Behaviour, response: ServerResponse): Promise<void> {
    if ('delayMs' in behaviour) {
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (response.destroyed) return;
      return this.act(behaviour.then, response);
    }
    if ('reset' in behaviour) {
      response.socket?.resetAndDestroy();
      return;
    }
    if ('hang' in behaviour) {
      this.hanging.add(response);
      return;
    }
    response.writeHead(behaviour.status, behaviour.headers);
    response.end(behaviour.body ?? '');
  }
}

function verify(headers: IncomingHttpHeaders, body: Buffer, options: { secret?: string; now?: () => number }): { verified: boolean | null; verifyError?: string } {
  if (!options.secret || headers['webhook-signature'] === undefined) return { verified: null };
  const realNow = Date.now;
  if (options.now) Date.now = options.now;
  try {
    new Webhook(options.secret).verify(body, headers as Record<string, string>);
    return { verified: true };
  } catch (error) {
    return { verified: false, verifyError: (error as Error).message };
  } finally {
    Date.now = realNow;
  }
}
