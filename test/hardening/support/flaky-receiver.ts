import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reaction = 'ok' | 'unavailable' | 'slow' | 'hang' | 'reset' | 'gone-wrong';

/** One request as it arrived, and how it was answered. */
export interface Received {
  key: string | undefined;
  reaction: Reaction;
  status: number;
}

/**
 * A webhook receiver on 127.0.0.1 that answers at random: mostly 200, sometimes 503, slowly, never (a hang the
 * sender must time out), with a reset connection, or 400 (a terminal refusal the sender must dead-letter).
 */
export async function startFlakyReceiver(weights: Partial<Record<Reaction, number>>): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const open = new Set<ServerResponse>();
  const table = Object.entries(weights) as Array<[Reaction, number]>;
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  const pick = (): Reaction => {
    let roll = Math.random() * total;
    for (const [reaction, weight] of table) if ((roll -= weight) < 0) return reaction;
    return 'ok';
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const reaction = pick();
      const key = request.headers['webhook-id'] as string | undefined;
      const answer = (status: number) => {
        received.push({ key, reaction, status });
        response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      };
      if (reaction === 'ok') answer(200);
      else if (reaction === 'unavailable') answer(503);
      else if (reaction === 'gone-wrong') answer(400);
      else if (reaction === 'slow') setTimeout(() => answer(200), 150);
      else if (reaction === 'reset') {
        received.push({ key, reaction, status: 0 });
        request.socket.destroy();
      } else {
        received.push({ key, reaction, status: 0 });
        open.add(response);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
