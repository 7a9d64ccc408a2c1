import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIntake } from '../../core/http/serve-intake';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { signRequest } from '../../core/signing';
import { parseSourceConfig, type SourceConfig } from '../../core/intake/source-config';
import { intakeHarness, incidentPayload, type IntakeHarness } from '../support/intake-fixture';

let h: IntakeHarness;
let server: Server;
let port: number;
const outcomes: string[] = [];
const QUERY_TOKEN = 'query-token-0123456789abcdef0123456789';
let tokenSource: SourceConfig;

beforeAll(async () => {
  h = await intakeHarness({ limits: { maxBodyBytes: 4096 } });
  tokenSource = parseSourceConfig({ id: 'src-token', tenant: 'acme', provider: 'generic', auth: { scheme: 'token', secrets: [{ value: QUERY_TOKEN }], queryParam: 'token' } });
  server = createServer((req, res) => {
    const source = req.url?.startsWith('/intake/src-1') ? h.source : req.url?.startsWith('/intake/src-token') ? tokenSource : undefined;
    void serveIntake(req, res, source, { store: h.store, normaliser: passThroughNormaliser }, { bodyTimeoutMs: 300 }).then((o) => outcomes.push(o.code));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.store.close();
});

function post(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends raw HTTP over a socket and returns the response head + body once the server answers. */
function rawExchange(lines: string, keepWriting?: (socket: import('node:net').Socket) => void): Promise<{ text: string; bytesWritten: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, bytesWritten: socket.bytesWritten }));
    socket.write(lines);
    keepWriting?.(socket);
  });
}

describe('serveIntake over real HTTP', () => {
  it('accepts a signed request and answers JSON with the outcome', async () => {
    const raw = Buffer.from(JSON.stringify(incidentPayload()));
    const res = await post('/intake/src-1', raw, { 'content-type': 'application/json', ...signRequest('standard-webhooks', h.secret, raw, { id: 'http-1' }) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ outcome: 'accepted', receiptId: expect.stringMatching(/^rcp_/), events: [{ state: 'pending_review' }] });
  });

  it('answers 404 JSON for an unknown source', async () => {
    const res = await post('/intake/nope', Buffer.from('{}'), { 'content-type': 'application/json' });
    expect(res).toMatchObject({ status: 404, body: { outcome: 'unknown_source' } });
  });

  it('refuses a declared Content-Length over the cap with 413 without reading the body', async () => {
    const { text } = await rawExchange(`POST /intake/src-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n{`);
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/payload_too_large/);
  });

  it('refuses a chunked body without Content-Length once it crosses the cap, and closes the connection', async () => {
    let written = 0;
    const { text } = await rawExchange(`POST /intake/src-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, (socket) => {
      const chunk = Buffer.alloc(1024, 0x20);
      const pump = () => {
        // keep sending far past the cap; the server must answer and hang up rather than buffer it all
        while (written < 8 * 1024 * 1024 && !socket.destroyed) {
          written += chunk.length;
          if (!socket.write(`400\r\n${chunk.toString()}\r\n`)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('gives up on a slow-drip body with 408', async () => {
    const { text } = await rawExchange(`POST /intake/src-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"`);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('stored nothing for the refused requests', async () => {
    expect(await h.store.transaction((r) => r.receipts.count('acme'))).toBe(1);
    expect(outcomes).toContain('payload_too_large');
  });

  it('hands the query to the intake: a token in the query authenticates, a wrong one or none does not', async () => {
    const raw = (id: string) => Buffer.from(JSON.stringify(incidentPayload({ externalId: id })));
    const json = { 'content-type': 'application/json' };
    expect((await post(`/intake/src-token?x=1&token=${QUERY_TOKEN}`, raw('Q-1'), json)).status).toBe(202);
    expect((await post('/intake/src-token?token=wrong-token-0123456789abcdef', raw('Q-2'), json)).status).toBe(401);
    expect((await post(`/intake/src-token?token=${QUERY_TOKEN}&token=${QUERY_TOKEN}`, raw('Q-3'), json)).status).toBe(401);
    expect((await post('/intake/src-token', raw('Q-4'), json)).status).toBe(401);
  });
});
