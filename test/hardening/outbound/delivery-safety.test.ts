import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker, deliveryDetails, enqueueDelivery, type DeliveryResult, type HostPolicyInput } from '../../../core/delivery';
import { openSqliteStore, type Store } from '../../../core/store';
import { countingServer, streamBody, type CountingServer } from '../support/counting-server';
import { incidentRecord } from '../support/incident-record';

const servers: CountingServer[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function server(handle: Parameters<typeof countingServer>[0]): Promise<CountingServer> {
  const started = await countingServer(handle);
  servers.push(started);
  return started;
}

/** Enqueues one incident for a webhook destination at `url` and runs a worker until the delivery settles. */
async function deliverOnce(url: string, hostPolicy: HostPolicyInput, timeoutMs = 2_000) {
  const store = await openSqliteStore(':memory:');
  stores.push(store);
  const destination = { kind: 'webhook', tenant: 'crash', id: 'safety', url, signing: { scheme: 'none' }, policy: { timeoutMs, maxAttempts: 1 } } as const;
  const { delivery } = await enqueueDelivery(store, { destination, incident: incidentRecord('inc_safety') });
  const results: DeliveryResult[] = [];
  const worker = new DeliveryWorker({ store, destinations: [destination], hostPolicy, onResult: (result) => void results.push(result) });
  const started = Date.now();
  await worker.runUntilIdle();
  await worker.stop();
  const details = (await deliveryDetails(store, 'crash', delivery.id))!;
  return { result: results[0]!, details, elapsedMs: Date.now() - started };
}

const LOOPBACK = { allow: ['127.0.0.1'] };

describe('outbound safety of deliveries', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`does not follow a ${status} redirect (to another loopback server it would otherwise reach)`, async () => {
      const target = await server((_request, response) => response.writeHead(200).end('stolen'));
      const redirecting = await server((_request, response) => response.writeHead(status, { location: `${target.url}/internal-admin` }).end());
      const { result, details } = await deliverOnce(`${redirecting.url}/hooks`, { allow: ['127.0.0.1'] });
      expect(target.connections).toBe(0);
      expect(redirecting.requests).toBe(1);
      expect(result).toMatchObject({ status: 'dead_letter', httpStatus: status });
      expect(details.attempts[0]).toMatchObject({ outcome: 'terminal', reason: `http_${status}` });
    });
  }

  it('reads at most 64 KiB of a 20 MB answer and does not wait for the rest', async () => {
    const huge = await server((_request, response, self) => streamBody(response, self, 20 * 1024 * 1024));
    const { result, details } = await deliverOnce(`${huge.url}/hooks`, LOOPBACK);
    expect(result.status).toBe('delivered');
    expect(details.attempts[0]!.summary).toMatchObject({ response: { truncated: true } });
    expect((details.attempts[0]!.summary as { response: { bodyBytes: number } }).response.bodyBytes).toBeLessThanOrEqual(64 * 1024);
    expect(huge.bytesWritten).toBeLessThan(20 * 1024 * 1024);
  });

  it('an answer that never ends does not hold the attempt past its timeout', async () => {
    const endless = await server((_request, response, self) => streamBody(response, self, Infinity));
    const { result, elapsedMs } = await deliverOnce(`${endless.url}/hooks`, LOOPBACK, 1_000);
    expect(['delivered', 'dead_letter']).toContain(result.status);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('refuses a loopback destination under the default policy: dead-lettered as destination_refused, never connected', async () => {
    const internal = await server((_request, response) => response.writeHead(200).end());
    const { result, details } = await deliverOnce(`${internal.url}/hooks`, {});
    expect(internal.connections).toBe(0);
    expect(result).toMatchObject({ status: 'dead_letter' });
    expect(details.attempts[0]).toMatchObject({ outcome: 'terminal', reason: 'destination_refused' });
  });

  it('refuses localhost too (checked after DNS), and delivers once the host is allowed', async () => {
    const internal = await server((_request, response) => response.writeHead(204).end());
    const refused = await deliverOnce(`http://localhost:${internal.port}/hooks`, {});
    expect(refused.details.attempts[0]).toMatchObject({ reason: 'destination_refused' });
    expect(internal.connections).toBe(0);
    const allowed = await deliverOnce(`http://localhost:${internal.port}/hooks`, { allow: ['localhost'] });
    expect(allowed.result).toMatchObject({ status: 'delivered', httpStatus: 204 });
  });
});
