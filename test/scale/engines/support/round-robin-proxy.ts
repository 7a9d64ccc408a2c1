import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Names the backend (by index) a request must go to; the proxy strips it. Lets a test aim copies at different instances. */
export const ROUTE_HEADER = 'x-route-to';

/**
 * The load balancer in front of a cluster: a node:http server on 127.0.0.1 that forwards each request to the
 * next backend in turn, unchanged (raw body bytes, headers). A backend that cannot be reached answers 502, as a
 * real balancer would; the sender retries. Backends can be swapped while it runs (a restarted instance).
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** How many requests each backend was given. */
  readonly forwarded: number[];

  private constructor(
    private readonly server: Server,
    readonly backends: string[],
  ) {
    this.forwarded = backends.map(() => 0);
  }

  static async start(backends: string[]): Promise<RoundRobinProxy> {
    let proxy!: RoundRobinProxy;
    const server = createServer((request, response) => proxy.forward(request, response));
    proxy = new RoundRobinProxy(server, backends);
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

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const routed = request.headers[ROUTE_HEADER];
    const index = routed === undefined ? this.next++ % this.backends.length : Number(routed) % this.backends.length;
    this.forwarded[index]!++;
    const target = new URL(request.url ?? '/', this.backends[index]);
    const headers: Record<string, string | string[] | undefined> = { ...request.headers, host: target.host };
    delete headers[ROUTE_HEADER];
    const upstream = httpRequest(target, { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"backend unreachable"}');
      else response.destroy();
    });
    request.pipe(upstream);
  }
}
