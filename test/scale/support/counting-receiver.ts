import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { startServer } from '../../delivery/support/http-server';

/** Which header names the delivering worker process (the destination adds it to every request). */
export const WORKER_HEADER = 'x-scale-worker';

export interface Answer {
  worker: string;
  status: number;
  verified: boolean;
}

/**
 * The loopback receiver the workers deliver to. Counts its answers per idempotency key (`webhook-id`), fails
 * the first attempt of every third key with 503 so that retries interleave with first attempts, and can hold
 * (never answer) one worker's requests so that the worker can be killed in the middle of a delivery.
 */
export class CountingReceiver {
  readonly answers = new Map<string, Answer[]>();
  private readonly held = new Map<string, Set<ServerResponse>>();
  private holding: string | undefined;

  private constructor(
    readonly url: string,
    private readonly secret: string,
    private readonly closeServer: () => Promise<void>,
  ) {}

  static async start(secret: string): Promise<CountingReceiver> {
    let receiver!: CountingReceiver;
    const server = await startServer((request, body, response) => receiver.handle(request.headers, body, response));
    receiver = new CountingReceiver(`${server.url}/deliveries`, secret, server.close);
    return receiver;
  }

  /** From now on, requests from this worker get no answer (until {@link close}). */
  hold(worker: string): void {
    this.holding = worker;
  }

  heldCount(worker: string): number {
    return this.held.get(worker)?.size ?? 0;
  }

  /** Keys this worker was answered 2xx for. */
  successesFor(worker: string): string[] {
    return [...this.answers].filter(([, answers]) => answers.some((answer) => answer.worker === worker && answer.status < 300)).map(([key]) => key);
  }

  successCount(key: string): number {
    return (this.answers.get(key) ?? []).filter((answer) => answer.status < 300).length;
  }

  async close(): Promise<void> {
    for (const responses of this.held.values()) for (const response of responses) response.destroy();
    await this.closeServer();
  }

  private handle(headers: IncomingHttpHeaders, body: Buffer, response: ServerResponse): void {
    const key = String(headers['webhook-id'] ?? '');
    const worker = String(headers[WORKER_HEADER] ?? '');
    if (worker === this.holding) {
      const held = this.held.get(worker) ?? new Set<ServerResponse>();
      this.held.set(worker, held.add(response));
      return;
    }
    const answers = this.answers.get(key) ?? [];
    const status = answers.length === 0 && failsFirstAttempt(key) ? 503 : 204;
    answers.push({ worker, status, verified: this.verify(headers, body) });
    this.answers.set(key, answers);
    response.writeHead(status).end();
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

function failsFirstAttempt(key: string): boolean {
  return createHash('sha256').update(key).digest()[0]! % 3 === 0;
}
