import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

type HttpHandler = (req: unknown, res: unknown) => void;

export interface HelperHttpServer {
  /** A node module for `helper.load` that only captures `RED.httpNode`, so real HTTP on loopback reaches the nodes' routes. */
  captureHttpNode: (RED: { httpNode: HttpHandler }) => void;
  /** `http://127.0.0.1:<port>`, once the suite's beforeAll has run. */
  url(): string;
}

/**
 * For suites that run node-red-node-test-helper's in-process runtime: a loopback server (started before the
 * suite, closed after it) that hands every request to the runtime's HTTP routes, 503 until one is loaded.
 */
export function helperHttpServer(): HelperHttpServer {
  let httpNode: HttpHandler | undefined;
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => (httpNode ? httpNode(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    captureHttpNode: (RED) => {
      httpNode = RED.httpNode;
    },
    url: () => baseUrl,
  };
}
