import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

const SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const PD_SECRET = 'pd-send-secret';
const BODY = JSON.stringify({ event: { event_type: 'incident.triggered', data: { id: 'Q1', title: 'db-01 down' } } });

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let cli: BuiltCli;
let server: Server;
let url: string;
let received: Received[];

/**
 * A stand-in intake on 127.0.0.1: /standard checks Standard Webhooks signatures with the reference
 * library, /pagerduty checks X-PagerDuty-Signature with node:crypto, /teapot always answers 418.
 */
function handle(received: Received): { status: number; body: string } {
  if (received.url === '/teapot') return { status: 418, body: 'short and stout' };
  if (received.url === '/pagerduty') {
    const expected = `v1=${createHmac('sha256', PD_SECRET).update(received.body).digest('hex')}`;
    return received.headers['x-pagerduty-signature'] === expected ? { status: 202, body: '{"accepted":true}' } : { status: 401, body: '{"error":"bad signature"}' };
  }
  try {
    new Webhook(SECRET).verify(received.body, received.headers as Record<string, string>);
    return { status: 202, body: '{"accepted":true}' };
  } catch {
    return { status: 401, body: '{"error":"bad signature"}' };
  }
}

beforeAll(async () => {
  cli = await buildCli();
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      const answer = handle(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await cli?.cleanup();
});

beforeEach(() => {
  received = [];
});

describe('incident-intake send', () => {
  it('POSTs a Standard Webhooks request that the reference library accepts', async () => {
    const result = await runCli(cli, ['send', '--url', `${url}/standard`, '--scheme', 'standard-webhooks', '--secret', SECRET, '--id', 'msg_send_1'], BODY);
    expect(result).toEqual({ code: 0, stdout: 'HTTP 202 Accepted\n{"accepted":true}\n', stderr: '' });
    expect(received).toHaveLength(1);
    expect(received[0].body).toBe(BODY);
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(received[0].headers['webhook-id']).toBe('msg_send_1');
    expect(received[0].headers['x-incident-intake-test']).toBeUndefined();
  });

  it('exits 1 and prints the answer when the intake refuses the signature', async () => {
    const other = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const result = await runCli(cli, ['send', '--url', `${url}/standard`, '--scheme', 'standard-webhooks', '--secret', other], BODY);
    expect(result).toMatchObject({ code: 1, stdout: 'HTTP 401 Unauthorized\n{"error":"bad signature"}\n' });
  });

  it('exits 1 on any non-2xx status', async () => {
    const result = await runCli(cli, ['send', '--url', `${url}/teapot`, '--scheme', 'none'], BODY);
    expect(result).toMatchObject({ code: 1, stdout: "HTTP 418 I'm a Teapot\nshort and stout\n" });
  });

  it('--provider pagerduty adds X-Webhook-Id, as PagerDuty does', async () => {
    const args = ['send', '--url', `${url}/pagerduty`, '--scheme', 'pagerduty', '--secret-env', 'PD_SECRET', '--provider', 'pagerduty', '--id', 'pd-42'];
    const result = await runCli(cli, args, BODY, { PD_SECRET });
    expect(result.code).toBe(0);
    expect(received[0].headers['x-webhook-id']).toBe('pd-42');
  });

  it('--provider jira adds X-Atlassian-Webhook-Identifier; a default id is generated', async () => {
    await runCli(cli, ['send', '--url', `${url}/teapot`, '--scheme', 'hub-sha256', '--secret', 'jira', '--provider', 'jira'], BODY);
    expect(received[0].headers['x-atlassian-webhook-identifier']).toMatch(/^msg_/);
    expect(received[0].headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('--test marks the request as a test event and -H adds headers', async () => {
    const args = ['send', '--url', `${url}/standard`, '--scheme', 'standard-webhooks', '--secret', SECRET, '--test', '-H', 'X-Trace: abc'];
    expect((await runCli(cli, args, BODY)).code).toBe(0);
    expect(received[0].headers['x-incident-intake-test']).toBe('1');
    expect(received[0].headers['x-trace']).toBe('abc');
  });

  it('exits 1 with a message when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCli(cli, ['send', '--url', `http://127.0.0.1:${port}/`, '--scheme', 'none'], BODY);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed');
  });

  it.each([
    ['missing --url', ['send', '--scheme', 'none']],
    ['a relative URL', ['send', '--url', '/intake', '--scheme', 'none']],
    ['a non-HTTP URL', ['send', '--url', 'ftp://127.0.0.1/', '--scheme', 'none']],
    ['an unknown provider', ['send', '--url', 'http://127.0.0.1:9/', '--scheme', 'none', '--provider', 'checkmk']],
    ['a missing secret', ['send', '--url', 'http://127.0.0.1:9/', '--scheme', 'stripe']],
  ])('usage error: %s', async (_label, args) => {
    const result = await runCli(cli, args, BODY);
    expect(result.code).toBe(2);
    expect(received).toHaveLength(0);
  });
});
