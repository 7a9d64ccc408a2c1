import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIntake } from '../../core/http/serve-intake';
import type { IntakeOutcome } from '../../core/intake/outcome';
import type { SourceConfig } from '../../core/intake/source-config';
import type { Normaliser } from '../../core/mapping/normaliser';
import type { Store } from '../../core/store/store';

export interface IntakeServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface IntakeServerOptions {
  store: Store;
  sources: Array<{ source: SourceConfig; normaliser: Normaliser }>;
  port?: number;
  onOutcome?: (sourceId: string, outcome: IntakeOutcome) => void;
}

/** A plain Node.js HTTP server routing `POST /intake/<source id>` to the core intake, on loopback only. */
export async function startIntakeServer(options: IntakeServerOptions): Promise<IntakeServer> {
  const bySourceId = new Map(options.sources.map((entry) => [entry.source.id, entry]));
  const server = createServer((request, response) => {
    const match = /^\/intake\/([^/?]+)/.exec(request.url ?? '');
    const entry = match ? bySourceId.get(decodeURIComponent(match[1]!)) : undefined;
    if (request.method !== 'POST') {
      response.writeHead(405, { Allow: 'POST', 'Content-Type': 'application/json' }).end('{"outcome":"method_not_allowed"}');
      return;
    }
    const normaliser = entry?.normaliser ?? options.sources[0]!.normaliser;
    void serveIntake(request, response, entry?.source, { store: options.store, normaliser }).then((outcome) => options.onOutcome?.(entry?.source.id ?? '?', outcome));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
