import { isIP } from 'node:net';
import { Agent } from 'undici';
import { DESTINATION_REFUSED, guardedLookup, type Resolver } from './guarded-lookup';
import { normaliseHost } from './host-entries';
import { hostPolicy, refusalFor, type HostPolicy, type HostPolicyInput } from './host-policy';
import type { ReceivedResponse } from './response-summary';
import { TransportError, type TransportFailure } from './transport-error';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The whole exchange — connect, headers and body — must finish within this. */
  timeoutMs: number;
}

/** Sends one request and reads its answer; throws {@link TransportError} when there is no answer. */
export interface HttpTransport {
  send(request: HttpRequest): Promise<ReceivedResponse>;
  close(): Promise<void>;
}

export interface UndiciTransportOptions {
  /** Sockets kept per origin. Default 32. */
  connectionsPerOrigin?: number;
  /** How long an idle socket stays open for reuse. Default 30 s (a receiver's keep-alive hint may shorten it). */
  keepAliveTimeoutMs?: number;
  /** Response bytes read at most; the rest is discarded. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Which destination hosts may be reached, checked before connecting and after DNS; none checked when absent. */
  hostPolicy?: HostPolicyInput;
  /** Name resolution for the policy check (tests); default the system resolver. */
  resolve?: Resolver;
}

/** HTTP through undici with a keep-alive pool per origin. Redirects are never followed. */
export class UndiciTransport implements HttpTransport {
  private readonly agent: Agent;
  private readonly maxResponseBytes: number;
  private readonly policy?: HostPolicy;
  private readonly urls = new ParsedUrls();

  constructor(options: UndiciTransportOptions = {}) {
    this.policy = options.hostPolicy ? hostPolicy(options.hostPolicy) : undefined;
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 32,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 60_000),
      ...(this.policy ? { connect: { lookup: guardedLookup(this.policy, options.resolve) } } : {}),
    });
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
  }

  async send(request: HttpRequest): Promise<ReceivedResponse> {
    const url = this.urls.parse(request.url);
    this.refuseAddressLiteral(url.parsed);
    // A timer cleared when the exchange ends, not `AbortSignal.timeout`: that one's timer stays armed for the whole
    // timeout after the answer is in, so at thousands of deliveries a second tens of thousands of them pile up.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('the exchange timed out', 'TimeoutError')), request.timeoutMs);
    try {
      const response = await this.agent.request({
        origin: url.parsed.origin,
        path: url.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
      const { body, truncated } = await readBounded(response.body, this.maxResponseBytes);
      const headers = flattenHeaders(response.headers);
      return { status: response.statusCode, headers, body, bodyTruncated: truncated, json: parseJson(headers['content-type'], body, truncated) };
    } catch (error) {
      throw toTransportError(error, controller.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** An IP address in the URL is connected to without a lookup, so the policy sees it here. */
  private refuseAddressLiteral(url: URL): void {
    const host = normaliseHost(url.hostname);
    if (!this.policy || isIP(host) === 0) return;
    const refusal = refusalFor(this.policy, host, [host]);
    if (refusal) throw new TransportError('destination_refused', `destination refused: ${refusal}`);
  }
}

interface ParsedUrl {
  parsed: URL;
  path: string;
}

/** Destination URLs parsed once: a worker sends to the same few URLs over and over. */
class ParsedUrls {
  private static readonly MAX = 256;
  private readonly byText = new Map<string, ParsedUrl>();

  parse(text: string): ParsedUrl {
    let url = this.byText.get(text);
    if (!url) {
      const parsed = parseUrl(text);
      url = { parsed, path: `${parsed.pathname}${parsed.search}` };
      if (this.byText.size >= ParsedUrls.MAX) this.byText.clear();
      this.byText.set(text, url);
    }
    return url;
  }
}

function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported protocol ${parsed.protocol}`);
    return parsed;
  } catch (error) {
    throw new TransportError('invalid_request', 'the destination URL is not an absolute http(s) URL', { cause: error });
  }
}

async function readBounded(stream: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const room = maxBytes - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (chunk.length > room) {
      stream.destroy();
      return { body: Buffer.concat(chunks), truncated: true };
    }
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseJson(contentType: string | undefined, body: Buffer, truncated: boolean): unknown {
  if (truncated || body.length === 0 || !/\bjson\b/i.test(contentType ?? '')) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const FAILURE_BY_CODE: Record<string, TransportFailure> = {
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  ENOTFOUND: 'dns_failed',
  EAI_AGAIN: 'dns_failed',
  UND_ERR_INVALID_ARG: 'invalid_request',
  [DESTINATION_REFUSED]: 'destination_refused',
};

function toTransportError(error: unknown, timedOut: boolean): TransportError {
  if (error instanceof TransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut) return new TransportError('timeout', 'the receiver did not answer in time', { cause: error });
  const failure = failureOf(error) ?? 'connection_failed';
  return new TransportError(failure, message, { cause: error });
}

/** The first recognisable code along the error's cause chain. */
function failureOf(error: unknown): TransportFailure | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (FAILURE_BY_CODE[code]) return FAILURE_BY_CODE[code];
    if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls_failed';
  }
  return undefined;
}
