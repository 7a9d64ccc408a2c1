import { Client } from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntakeServer, type IntakeServer } from '../../cli/demo/intake-server';
import { DeliveryWorker, enqueueDelivery } from '../../core/delivery';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { openPostgresStore, StoreUnavailableError, type Store } from '../../core/store';
import { eventually } from '../delivery/support/fake-clock';
import { incidentRecord } from '../delivery/support/incidents';
import { WebhookReceiver } from '../delivery/support/webhook-receiver';
import { incidentPayload } from '../support/intake-fixture';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/**
 * The database goes away for a while — between requests and in the middle of one — and comes back on the same
 * address. Intake answers 503 with Retry-After meanwhile, keeps nothing of an interrupted request, and accepts
 * the senders' retries once the database is back; the outbox waits and resumes.
 */
const support = postgresSupport();
const TENANT = 'acme';

describe.skipIf(!support.binaries)('PostgreSQL briefly unreachable', () => {
  const secret = generateStandardWebhookSecret();
  const source = parseSourceConfig({ id: 'outage', tenant: TENANT, provider: 'generic', auth: { secrets: [{ value: secret }] } });
  let cluster: PostgresCluster;
  let databaseUrl: string;
  let store: Store;
  let server: IntakeServer;
  let sequence = 0;

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    databaseUrl = await cluster.createDatabase();
    store = await openPostgresStore({ connectionString: databaseUrl, poolSize: 4, connectTimeoutMs: 2_000 });
    server = await startIntakeServer({ store, sources: [{ source, normaliser: passThroughNormaliser }] });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await cluster?.destroy();
  });

  function signed(externalId: string) {
    const body = Buffer.from(JSON.stringify(incidentPayload({ externalId })));
    return { body, headers: { 'content-type': 'application/json', ...signRequest('standard-webhooks', secret, body, { id: `msg_outage_${++sequence}` }) } };
  }

  async function post(message: ReturnType<typeof signed>) {
    const response = await request(`${server.url}/intake/${source.id}`, { method: 'POST', body: message.body, headers: message.headers });
    const json = (await response.body.json()) as { outcome: string };
    return { status: response.statusCode, outcome: json.outcome, retryAfter: response.headers['retry-after'] };
  }

  const stored = () => store.transaction(async (r) => ({ receipts: await r.receipts.count(TENANT), events: await r.events.countByState(TENANT) }));

  it('answers 503 with Retry-After while the server is down and accepts the retry once it is back', async () => {
    expect(await post(signed('BEFORE'))).toMatchObject({ status: 202, outcome: 'accepted' });
    const before = await stored();
    await cluster.stopServer();
    const during = signed('DURING');
    const started = Date.now();
    expect(await post(during)).toEqual({ status: 503, outcome: 'store_unavailable', retryAfter: '30' });
    expect(Date.now() - started).toBeLessThan(10_000);
    await cluster.startServer();
    expect(await post(during)).toMatchObject({ status: 202, outcome: 'accepted' });
    expect(await stored()).toEqual({ receipts: before.receipts + 1, events: { pending_review: before.events.pending_review! + 1 } });
  });

  it('keeps nothing of a request the outage interrupted half-way through its transaction', async () => {
    const before = await stored();
    // Another session blocks inserts into events, so the request stops after writing its receipt, inside its transaction.
    const blocker = new Client({ connectionString: databaseUrl });
    await blocker.connect();
    blocker.on('error', () => undefined);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE events IN EXCLUSIVE MODE');
    const interrupted = signed('INTERRUPTED');
    const answer = post(interrupted);
    await eventually(async () => (await insertingEvents(databaseUrl)) > 0, 10_000);
    await cluster.stopServer();
    expect(await answer).toEqual({ status: 503, outcome: 'store_unavailable', retryAfter: '30' });
    await blocker.end().catch(() => undefined);
    await cluster.startServer();
    expect(await stored()).toEqual(before);
    // The sender's retry is a first delivery, not a duplicate: nothing of the interrupted attempt remained.
    expect(await post(interrupted)).toMatchObject({ status: 202, outcome: 'accepted' });
    expect((await stored()).receipts).toBe(before.receipts + 1);
  });

  it('lets the outbox wait through the outage and deliver once the server is back', async () => {
    const receiver = await WebhookReceiver.start();
    const errors: unknown[] = [];
    const destination = { kind: 'webhook' as const, id: 'hook', tenant: TENANT, url: receiver.url, signing: { scheme: 'none' as const } };
    const worker = new DeliveryWorker({ store, destinations: [destination], pollIntervalMs: 50, onError: (error) => errors.push(error) });
    try {
      await worker.start();
      await cluster.stopServer();
      await eventually(() => errors.length > 0, 10_000);
      expect(errors.every((error) => error instanceof StoreUnavailableError)).toBe(true);
      await cluster.startServer();
      await enqueueDelivery(store, { destination, incident: incidentRecord({ id: 'inc_outage', tenant: TENANT }) });
      worker.wake();
      await eventually(() => receiver.requests.length === 1, 10_000);
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });
});

/**
 * Sessions of the intake's pool waiting for the events table's lock, i.e. inserting an event with the request's
 * receipt already written in their transaction (the intake sends its writes together, the receipt's first, as
 * prepared statements, so the statement text does not show the table).
 */
async function insertingEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'incident-intake' AND wait_event_type = 'Lock' AND wait_event = 'relation'");
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}
