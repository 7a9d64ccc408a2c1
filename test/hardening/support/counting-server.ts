import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  port: number;
  /** TCP connections accepted: 0 means nothing ever reached this server. */
  connections: number;
  requests: number;
  /** Response body bytes the server got to write before the client went away. */
  bytesWritten: number;
  close(): Promise<void>;
}

/** A loopback HTTP server that counts what reaches it and answers through `handle`. */
export async function countingServer(handle: (request: IncomingMessage, response: ServerResponse, server: CountingServer) => void): Promise<CountingServer> {
  const server = createServer((request, response) => {
    counting.requests++;
    request.resume();
    request.on('end', () => handle(request, response, counting));
  });
  server.on('connection', () => counting.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const counting: CountingServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    requests: 0,
    bytesWritten: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return counting;
}

/** Streams `total` bytes (Infinity: forever) in 64 KiB chunks, counting what was written before the client left. */
export function streamBody(response: ServerResponse, server: CountingServer, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  response.writeHead(200, { 'content-type': 'text/plain' });
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += chunk.length;
      server.bytesWritten += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    response.end();
  };
  response.on('close', () => (sent = total));
  pump();
}
