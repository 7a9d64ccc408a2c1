import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError, UndiciTransport, type HostPolicyInput, type Resolver } from '../../../core/delivery';
import { countingServer, type CountingServer } from '../support/counting-server';

/** Every connection these tests could make goes to 127.0.0.0/8: refused ones must not connect at all. */
let server: CountingServer;
beforeAll(async () => {
  server = await countingServer((_request, response) => response.writeHead(200, { connection: 'close' }).end('ok'));
});
afterAll(() => server.close());

/** A resolver for made-up names; every address it hands out is on loopback. */
function resolver(table: Record<string, string[] | (() => string[])>): Resolver {
  return (host, callback) => {
    const entry = table[host];
    if (!entry) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
    const addresses = typeof entry === 'function' ? entry() : entry;
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

async function send(url: string, hostPolicy: HostPolicyInput, resolve?: Resolver) {
  const transport = new UndiciTransport({ hostPolicy, ...(resolve ? { resolve } : {}) });
  try {
    return await transport.send({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}'), timeoutMs: 3_000 });
  } finally {
    await transport.close();
  }
}

async function refused(url: string, hostPolicy: HostPolicyInput, resolve?: Resolver): Promise<string> {
  const before = server.connections;
  const error = await send(url, hostPolicy, resolve).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TransportError);
  expect((error as TransportError).failure).toBe('destination_refused');
  expect(server.connections, `${url} reached the server`).toBe(before);
  return (error as Error).message;
}

describe('the delivery transport under a host policy', () => {
  const port = () => server.port;

  it('refuses loopback by default, before connecting, however the address is written', async () => {
    for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '0.0.0.0', '127.0.0.2']) {
      expect(await refused(`http://${host}:${port()}/hooks`, {})).toMatch(/destination refused: .* (loopback|"this network") address/);
    }
  });

  it('refuses localhost after resolving it, and connects to allowed loopback', async () => {
    expect(await refused(`http://localhost:${port()}/hooks`, {})).toMatch(/localhost resolves to .*loopback/);
    expect((await send(`http://127.0.0.1:${port()}/hooks`, { allow: ['127.0.0.1'] })).status).toBe(200);
    expect((await send(`http://localhost:${port()}/hooks`, { allow: ['localhost'] })).status).toBe(200);
  });

  it('denied hosts stay refused even when also allowed', async () => {
    expect(await refused(`http://127.0.0.1:${port()}/hooks`, { allow: ['127.0.0.0/8'], deny: ['127.0.0.1'] })).toMatch(/deny list/);
    expect(await refused(`http://receiver.test:${port()}/hooks`, { allow: ['127.0.0.0/8'], deny: ['*.test'] }, resolver({ 'receiver.test': ['127.0.0.1'] }))).toMatch(/deny list/);
  });

  it('checks every address a name resolves to, and connects only to the addresses it checked (no rebinding window)', async () => {
    let calls = 0;
    const flip = resolver({ 'flip.test': () => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']), 'mixed.test': ['127.0.0.1', '127.0.0.3'] });
    const policy = { allow: ['127.0.0.1'] };
    const transport = new UndiciTransport({ hostPolicy: policy, resolve: flip });
    try {
      const first = await transport.send({ method: 'POST', url: `http://flip.test:${port()}/a`, headers: {}, timeoutMs: 3_000 });
      expect(first.status).toBe(200);
      const before = server.connections;
      // The server closed that connection; the next one resolves again, now to an address that is not allowed.
      const second = await transport.send({ method: 'POST', url: `http://flip.test:${port()}/a`, headers: {}, timeoutMs: 3_000 }).catch((error: unknown) => error);
      expect((second as TransportError).failure).toBe('destination_refused');
      expect(server.connections).toBe(before);
    } finally {
      await transport.close();
    }
    expect(await refused(`http://mixed.test:${port()}/a`, policy, flip)).toMatch(/127\.0\.0\.3, a loopback address/);
  });

  it('with allowOnly, reaches only the allowed names', async () => {
    const names = resolver({ 'partner.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
    expect((await send(`http://partner.test:${port()}/a`, { allow: ['partner.test'], allowOnly: true }, names)).status).toBe(200);
    expect(await refused(`http://other.test:${port()}/a`, { allow: ['partner.test'], allowOnly: true }, names)).toMatch(/not on the allow list/);
  });
});
