import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Names the backend (by index) a request must go to; the proxy strips it. Lets a test aim copies at different instances. */
export const ROUTE_HEADER = 'x-route-to';
/** Added to each answer: the backend (by index) that gave it, so a failed check can say which process answered. */
export const SERVED_BY_HEADER = 'x-served-by';

export interface ProxyOptions {
  /**
   * A readiness endpoint (n8n: `/healthz/readiness`), probed every {@link PROBE_INTERVAL_MS}: a backend that
   * does not answer it 200 gets no requests, as a Kubernetes readiness probe or an HAProxy check would keep
   * it out. Without one, every backend is always in.
   */
  readinessPath?: string;
}

const PROBE_INTERVAL_MS = 250;

/**
 * The load balancer in front of a cluster: a node:http server on 127.0.0.1 that forwards each request to the
 * next backend in turn, unchanged (raw body bytes, headers). A request aimed at a backend that is not ready
 * goes to the next ready one. A backend that cannot be reached answers 502, as a real balancer would; the
 * sender retries. Backends can be swapped while it runs (a restarted instance).
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** How many requests each backend was given. */
  readonly forwarded: number[];
  private readonly ready: boolean[];
  private probing: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly backends: string[],
  ) {
    this.forwarded = backends.map(() => 0);
    this.ready = backends.map(() => true);
  }

  static async start(backends: string[], options: ProxyOptions = {}): Promise<RoundRobinProxy> {
    let proxy!: RoundRobinProxy;
    const server = createServer((request, response) => proxy.forward(request, response));
    proxy = new RoundRobinProxy(server, backends);
    if (options.readinessPath) proxy.probe(options.readinessPath);
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  replace(index: number, backend: string): void {
    this.backends[index] = backend;
  }

  private probe(path: string): void {
    const round = async () => {
      await Promise.all(
        this.backends.map(async (backend, index) => {
          this.ready[index] = await fetch(new URL(path, backend), { signal: AbortSignal.timeout(2_000) }).then(
            (answer) => answer.status === 200,
            () => false,
          );
        }),
      );
      if (!this.closed) this.probing = setTimeout(() => void round(), PROBE_INTERVAL_MS);
    };
    this.probing = setTimeout(() => void round(), PROBE_INTERVAL_MS);
  }

  /** The backend asked for (or the next in turn), or the first ready one after it. */
  private pick(request: IncomingMessage): number | undefined {
    const routed = request.headers[ROUTE_HEADER];
    const first = routed === undefined ? this.next++ : Number(routed);
    for (let step = 0; step < this.backends.length; step++) {
      const index = (first + step) % this.backends.length;
      if (this.ready[index]) return index;
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probing);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const index = this.pick(request);
    if (index === undefined) {
      response.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"no backend ready"}');
      return;
    }
    this.forwarded[index]!++;
    const target = new URL(request.url ?? '/', this.backends[index]);
    const headers: Record<string, string | string[] | undefined> = { ...request.headers, host: target.host };
    delete headers[ROUTE_HEADER];
    const upstream = httpRequest(target, { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, { ...answer.headers, [SERVED_BY_HEADER]: String(index) });
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"backend unreachable"}');
      else response.destroy();
    });
    request.pipe(upstream);
  }
}
