import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleIntake } from '../../core/intake/handle-intake';
import { parseSourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { signRequest } from '../../core/signing';
import { openPostgresStore, type Store } from '../../core/store';
import { incidentPayload } from '../support/intake-fixture';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/**
 * Round trips per intake request on PostgreSQL, counted at the driver: node-postgres sends one message per
 * `query` call and waits for its answer before the next, so each call is one round trip. The admission's
 * reads (with BEGIN and the locks) go in one, its writes with the COMMIT in the other.
 */
const support = postgresSupport();

describe.skipIf(!support.binaries)('intake round trips on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let url: string;
  let store: Store;
  const secret = 'round-trip-secret-0123456789abcdef';
  const source = parseSourceConfig({ id: 'pd', tenant: 'acme', provider: 'generic', auth: { scheme: 'pagerduty', secrets: [{ value: secret }] } });
  const originalQuery = Client.prototype.query;
  let sent: string[] | undefined;

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    url = await cluster.createDatabase();
    store = await openPostgresStore(url);
    // The source's first request registers it (two more statements, once per source); the counts are of the requests after.
    await handleIntake(source, { headers: { 'content-type': 'application/json', ...signRequest('pagerduty', secret, body({ externalId: 'RT-0' })) }, rawBody: body({ externalId: 'RT-0' }) }, { store, normaliser: passThroughNormaliser });
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      sent?.push(typeof config === 'string' ? config : String(config?.text));
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  });
  afterAll(async () => {
    Client.prototype.query = originalQuery;
    await store?.close();
    await cluster?.destroy();
  });

  /** Sends one signed request (PagerDuty's scheme, delivery id in X-Webhook-Id) and counts its round trips. */
  async function counted(raw: Buffer, deliveryId: string) {
    const headers = { 'content-type': 'application/json', 'x-webhook-id': deliveryId, ...signRequest('pagerduty', secret, raw) };
    sent = [];
    const outcome = await handleIntake(source, { headers, rawBody: raw }, { store, normaliser: passThroughNormaliser });
    const roundTrips = sent;
    sent = undefined;
    return { outcome, roundTrips };
  }

  const body = (overrides: Record<string, unknown>) => Buffer.from(JSON.stringify(incidentPayload(overrides)));

  it('stores a new event in at most two round trips', async () => {
    const { outcome, roundTrips } = await counted(body({ externalId: 'RT-1' }), 'delivery-1');
    expect(outcome.code).toBe('accepted');
    expect(outcome.events.map((event) => event.state)).toEqual(['pending_review']);
    expect(roundTrips.length).toBeLessThanOrEqual(2);
    expect(roundTrips.at(-1)).toMatch(/COMMIT$/);
    const stored = await store.transaction(async (r) => ({
      receipt: await r.receipts.get('acme', outcome.receiptId!),
      events: await r.events.listByReceipt(outcome.receiptId!),
      chain: await r.audit.verifyChain('acme'),
      budget: await r.counters.read('acme', `source-hour:${source.id}`, Math.floor(Date.now() / 3_600_000) * 3_600_000),
    }));
    expect(stored.receipt).toMatchObject({ httpStatus: outcome.status, outcome: 'accepted' });
    expect(stored.events).toHaveLength(1);
    expect(stored.chain).toBeUndefined();
    expect(stored.budget).toBeGreaterThanOrEqual(1);
  });

  it('folds a repeat of a pending incident (a duplicate event) in at most two round trips', async () => {
    const { outcome, roundTrips } = await counted(body({ externalId: 'RT-1', title: 'Database down again' }), 'delivery-2');
    expect(outcome.events.map((event) => event.state)).toEqual(['duplicate']);
    expect(roundTrips.length).toBeLessThanOrEqual(2);
  });

  it('answers a replay of a stored request from its receipt in at most two round trips', async () => {
    const raw = body({ externalId: 'RT-2' });
    const first = await counted(raw, 'delivery-3');
    const again = await counted(raw, 'delivery-4');
    expect(again.outcome).toMatchObject({ code: 'duplicate', status: first.outcome.status, receiptId: first.outcome.receiptId });
    expect(again.roundTrips.length).toBeLessThanOrEqual(2);
  });

  it('refuses a replay whose receipt is gone from its replay keys in at most two round trips, and audits it', async () => {
    const raw = body({ externalId: 'RT-3' });
    const first = await counted(raw, 'delivery-5');
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('DELETE FROM events WHERE receipt_id = $1', [first.outcome.receiptId]);
      await admin.query('DELETE FROM receipts WHERE id = $1', [first.outcome.receiptId]);
    } finally {
      await admin.end();
    }
    const again = await counted(raw, 'delivery-6');
    expect(again.outcome).toMatchObject({ code: 'duplicate', status: first.outcome.status });
    expect(again.outcome.reason).toMatch(/refused as a replay/);
    expect(again.roundTrips.length).toBeLessThanOrEqual(2);
    const audit = await store.transaction((r) => r.audit.forSubject('acme', 'source', source.id));
    expect(audit.map((entry) => entry.action)).toContain('request.replay_refused');
  });

  it('creates and then updates an incident in auto-create mode in at most two round trips each', async () => {
    const auto = parseSourceConfig({ id: 'pd-auto', tenant: 'acme', provider: 'generic', mode: 'auto-create', auth: { scheme: 'pagerduty', secrets: [{ value: secret }] } });
    const send = async (raw: Buffer) => {
      const headers = { 'content-type': 'application/json', ...signRequest('pagerduty', secret, raw) };
      sent = [];
      const outcome = await handleIntake(auto, { headers, rawBody: raw }, { store, normaliser: passThroughNormaliser });
      const roundTrips = sent;
      sent = undefined;
      return { outcome, roundTrips };
    };
    await send(body({ externalId: 'RT-AUTO-0' }));
    const created = await send(body({ externalId: 'RT-AUTO-1' }));
    expect(created.outcome.incidents).toMatchObject([{ change: 'created', version: 1 }]);
    expect(created.roundTrips.length).toBeLessThanOrEqual(2);
    const updated = await send(body({ externalId: 'RT-AUTO-1', status: 'resolved' }));
    expect(updated.outcome.incidents).toMatchObject([{ change: 'updated', version: 2 }]);
    expect(updated.roundTrips.length).toBeLessThanOrEqual(2);
    const incident = await store.transaction((r) => r.incidents.get('acme', updated.outcome.incidents[0]!.incidentId));
    expect(incident).toMatchObject({ status: 'resolved', version: 2 });
    expect(incident?.resolvedAt).not.toBeNull();
    expect(await store.transaction((r) => r.audit.verifyChain('acme'))).toBeUndefined();
  });

  it('keeps text and bytes exact through the batched statements', async () => {
    const tricky = "quote ' backslash \\ E'\\x00' dollar $$ $1 ? question, ünïcødé 🚨";
    const { outcome } = await counted(body({ externalId: 'RT-4', title: tricky }), 'delivery-7');
    const events = await store.transaction((r) => r.events.listByReceipt(outcome.receiptId!));
    expect((events[0]!.candidate as { title: string }).title).toBe(tricky);
    const bytes = await store.transaction((r) => r.receipts.body('acme', outcome.receiptId!));
    expect(bytes?.toString('utf8')).toBe(body({ externalId: 'RT-4', title: tricky }).toString('utf8'));
  });
});
