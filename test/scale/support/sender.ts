import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { SignedRequest } from './alert-stream';

export interface HttpAnswer {
  /** 0 when the connection failed (refused, reset by a killed worker). */
  status: number;
  outcome?: string;
  receiptId?: string;
  retryAfter?: string;
  target: number;
}

/** Every answer one copy of a request got, the last being final. */
export type Exchange = HttpAnswer[];

const MAX_TRIES = 40;

/**
 * A sender behind a round-robin load balancer: a request that got no answer, or a 5xx, is sent again to the
 * next worker (same message id, same bytes: a transport retry), until it gets a 2xx or a 4xx.
 */
export class Sender {
  private readonly agent = new Agent({ connections: 16, headersTimeout: 30_000, bodyTimeout: 30_000 });
  private next = 0;
  attempts = 0;

  constructor(private readonly targets: string[]) {}

  /** A load balancer's pool change: the worker at `index` is replaced by one at `url`. */
  retarget(index: number, url: string): void {
    this.targets[index] = url;
  }

  /** Picks the next worker in turn; `offset` sends a copy to a different one than the original. */
  pick(offset = 0): number {
    return (this.next++ + offset) % this.targets.length;
  }

  async send(signed: SignedRequest, first: number): Promise<Exchange> {
    const exchange: Exchange = [];
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const target = (first + attempt) % this.targets.length;
      const answer = await this.post(signed, target);
      exchange.push(answer);
      if (answer.status >= 200 && answer.status < 500) return exchange;
      await sleep(answer.status === 0 ? 20 : 100);
    }
    return exchange;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async post(signed: SignedRequest, target: number): Promise<HttpAnswer> {
    this.attempts++;
    try {
      const response = await request(this.targets[target]!, { method: 'POST', body: signed.body, headers: signed.headers, dispatcher: this.agent });
      const json = (await response.body.json()) as { outcome?: string; receiptId?: string };
      const retryAfter = response.headers['retry-after'];
      return { status: response.statusCode, outcome: json.outcome, receiptId: json.receiptId, retryAfter: retryAfter === undefined ? undefined : String(retryAfter), target };
    } catch {
      return { status: 0, target };
    }
  }
}

export const isSuccess = (answer: HttpAnswer | undefined): boolean => answer !== undefined && answer.status >= 200 && answer.status < 300;
