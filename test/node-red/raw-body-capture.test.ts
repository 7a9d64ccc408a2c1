import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { captureRawBodies, capturedBody } from '../../node-red/shared/raw-body-capture';
import type { NodeAPI } from '../../node-red/shared/node-red-types';

/** The capture listener on a plain server, then a handler that says whether the body was captured. */
let server: Server;
let baseUrl: string;
let stop: () => void;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const captured = capturedBody(req);
    if (!captured) req.resume();
    const body = await captured;
    res.end(JSON.stringify({ captured: !!captured, body: body?.ok ? body.body.toString() : undefined }));
  });
  stop = captureRawBodies({ settings: {}, server } as unknown as NodeAPI, '/intake/Jira-Prod', 1024);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function post(path: string) {
  const response = await request(`${baseUrl}${path}`, { method: 'POST', body: '{"a":1}' });
  return (await response.body.json()) as { captured: boolean; body?: string };
}

describe('raw body capture', () => {
  it('captures the requests Express routes to the intake: any case, with or without one trailing slash, any query', async () => {
    for (const path of ['/intake/Jira-Prod', '/intake/jira-prod', '/INTAKE/JIRA-PROD/', '/intake/Jira-Prod?x=1', '/intake/jira-prod/?x=1']) {
      expect(await post(path), path).toEqual({ captured: true, body: '{"a":1}' });
    }
  });

  it('leaves every other request alone', async () => {
    for (const path of ['/intake/jira-prod//', '/intake/jira-prod/x', '/intake/jira', '/bare', '/']) {
      expect(await post(path), path).toEqual({ captured: false });
    }
  });
});
