import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { ROUTE_HEADER, SERVED_BY_HEADER } from './round-robin-proxy';
import type { ProviderRequest } from './provider-traffic';

export interface HttpAnswer {
  /** 0 when the connection failed (a killed process reset it). */
  status: number;
  outcome?: string;
  receiptId?: string;
  retryAfter?: string;
  /** For an answer the intake did not give (no outcome: the engine's own): when, which backend, and the start of its body. */
  foreign?: { at: string; servedBy?: string; body: string };
}

/** Every answer one copy of a request got; the last is final. */
export type Exchange = HttpAnswer[];

/** One request of the traffic and every copy of it that was sent. */
export interface Sent {
  request: ProviderRequest;
  exchanges: Exchange[];
}

/** Copies that were never answered (connection lost, 5xx) are sent again, as the providers' senders do. */
const MAX_TRIES = 80;

export const isSuccess = (answer: HttpAnswer | undefined): boolean => answer !== undefined && answer.status >= 200 && answer.status < 300;

/**
 * The providers' senders, all talking to one load balancer. A copy is sent until it gets a 2xx or a 4xx; a
 * duplicate delivery sends a second copy (same bytes, same message id) at the same moment, aimed at another
 * instance, or once the first was answered.
 */
export class ClusterSender {
  private readonly agent = new Agent({ connections: 32, headersTimeout: 60_000, bodyTimeout: 60_000 });
  readonly sent: Sent[] = [];
  private route = 0;

  constructor(private readonly url: string) {}

  async send(providerRequest: ProviderRequest): Promise<Sent> {
    const first = this.route++;
    const copies =
      providerRequest.retry === 'concurrent'
        ? await Promise.all([this.copy(providerRequest, first), this.copy(providerRequest, first + 1)])
        : [await this.copy(providerRequest, first)];
    if (providerRequest.retry === 'after-answer') copies.push(await this.copy(providerRequest, first + 2));
    const entry = { request: providerRequest, exchanges: copies };
    this.sent.push(entry);
    return entry;
  }

  /** Posts JSON to a path of the cluster (the approval endpoint), aimed at one instance; tried again only when it did not arrive. */
  async post(path: string, body: unknown, instance: number): Promise<{ status: number; text: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(`${this.url}${path}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', [ROUTE_HEADER]: String(instance + attempt) },
          dispatcher: this.agent,
        });
        const text = await response.body.text();
        if (!unreachable(response.statusCode) || attempt >= MAX_TRIES) return { status: response.statusCode, text };
      } catch (error) {
        if (attempt >= MAX_TRIES) throw error;
      }
      await sleep(backoff(attempt));
    }
  }

  /** Final answers of every copy. */
  answers(): HttpAnswer[] {
    return this.sent.flatMap((entry) => entry.exchanges.map((copy) => copy.at(-1)!));
  }

  accepted(): Sent[] {
    return this.sent.filter((entry) => entry.exchanges.some((copy) => isSuccess(copy.at(-1))));
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async copy(providerRequest: ProviderRequest, route: number): Promise<Exchange> {
    const exchange: Exchange = [];
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const answer = await this.attempt(providerRequest, route + attempt);
      exchange.push(answer);
      if (answer.status >= 200 && answer.status < 500) return exchange;
      await sleep(backoff(attempt));
    }
    return exchange;
  }

  private async attempt(providerRequest: ProviderRequest, route: number): Promise<HttpAnswer> {
    try {
      const response = await request(`${this.url}${providerRequest.path}`, {
        method: 'POST',
        body: providerRequest.body,
        headers: { ...providerRequest.headers, [ROUTE_HEADER]: String(route) },
        dispatcher: this.agent,
      });
      const text = await response.body.text();
      const json = parseJson(text) as { outcome?: string; receiptId?: string };
      const retryAfter = response.headers['retry-after'];
      const servedBy = response.headers[SERVED_BY_HEADER];
      const foreign = json.outcome === undefined ? { at: new Date().toISOString().slice(11, 23), ...(servedBy !== undefined && { servedBy: String(servedBy) }), body: text.slice(0, 160) } : undefined;
      return { status: response.statusCode, outcome: json.outcome, receiptId: json.receiptId, retryAfter: retryAfter === undefined ? undefined : String(retryAfter), ...(foreign && { foreign }) };
    } catch {
      return { status: 0 };
    }
  }
}

/** The balancer found no instance (502), or the store was down (503): the request did not happen. */
const unreachable = (status: number) => status === 502 || status === 503;

function backoff(attempt: number): number {
  return Math.min(1_000, 100 * (attempt + 1));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
