import { afterEach, describe, expect, it } from 'vitest';
import { handleIntake, type IntakeRequest } from '../../core/intake/handle-intake';
import { parseSourceConfig, type SourceConfig } from '../../core/intake/source-config';
import { passThroughNormaliser } from '../../core/mapping/pass-through-normaliser';
import { cleanupRetention } from '../../core/retention/cleanup';
import { generateStandardWebhookSecret, signRequest } from '../../core/signing';
import { storeOn, type Store } from '../../core/store';
import { migrate } from '../../core/store/migrations/migrate';
import type { SqlDatabase } from '../../core/store/sql-client';
import { incidentPayload } from '../support/intake-fixture';
import { storeEngines } from './store-engines';

const DAY = 86_400_000;
const DAY_1 = Date.parse('2026-03-02T08:00:00.000Z');
const SECRET = 'shared-signing-secret';
const WEBHOOK_SECRET = generateStandardWebhookSecret();

const pagerduty = parseSourceConfig({ id: 'pd', tenant: 'acme', provider: 'generic', mode: 'auto-create', auth: { scheme: 'pagerduty', secrets: [{ value: SECRET }] } });
const github = parseSourceConfig({ id: 'gh', tenant: 'acme', provider: 'generic', mode: 'auto-create', auth: { scheme: 'hub-sha256', secrets: [{ value: SECRET }] } });
const jira = parseSourceConfig({ id: 'jira', tenant: 'acme', provider: 'generic', mode: 'auto-create', auth: { scheme: 'hub-sha256', header: 'X-Hub-Signature', secrets: [{ value: SECRET }] } });
const standard = parseSourceConfig({ id: 'sw', tenant: 'acme', provider: 'generic', mode: 'auto-create', auth: { scheme: 'standard-webhooks', secrets: [{ value: WEBHOOK_SECRET }] } });

/** Hours after 08:00 on day `day` (DAY_1 is day 1). */
function onDay(day: number, hours = 0): number {
  return DAY_1 + (day - 1) * DAY + hours * 3_600_000;
}

function body(externalId: string, spacing?: number): Buffer {
  return Buffer.from(JSON.stringify(incidentPayload({ externalId }), null, spacing));
}

/** A request as each sender signs it, with its delivery id header. */
function signed(source: SourceConfig, rawBody: Buffer, deliveryId: string, at: number): IntakeRequest {
  const json = { 'content-type': 'application/json' };
  if (source === standard) {
    return { headers: { ...json, ...signRequest('standard-webhooks', WEBHOOK_SECRET, rawBody, { id: deliveryId, timestamp: Math.floor(at / 1000) }) }, rawBody, receivedAt: new Date(at) };
  }
  const idHeader = source === pagerduty ? 'x-webhook-id' : source === github ? 'x-github-delivery' : 'x-atlassian-webhook-identifier';
  const signature = signRequest(source.auth.scheme, SECRET, rawBody, { ...(source.auth.header && { header: source.auth.header }) });
  return { headers: { ...json, [idHeader]: deliveryId, ...signature }, rawBody, receivedAt: new Date(at) };
}

describe.each(storeEngines())('replay keys ($name)', ({ openDatabase, skip }) => {
  let database: SqlDatabase;
  let store: Store;
  afterEach(async () => store?.close());
  async function open(): Promise<Store> {
    database = await openDatabase();
    await migrate(database);
    return storeOn(database);
  }
  const send = (source: SourceConfig, request: IntakeRequest) => handleIntake(source, request, { store, normaliser: passThroughNormaliser });
  const keyCount = () => store.transaction((r) => r.replayKeys.count('acme'));
  const cleanup = (day: number, options: { replayKeyRetentionDays?: number; shortLivedReplayKeyRetentionDays?: number; batchSize?: number } = {}) =>
    cleanupRetention(store, { tenant: 'acme', olderThanDays: 30, ...options }, { now: () => onDay(day, 12) });

  describe.each([
    ['PagerDuty X-Webhook-Id', pagerduty],
    ['GitHub X-GitHub-Delivery', github],
    ['Jira X-Atlassian-Webhook-Identifier', jira],
  ] as const)('keyed on the %s as well as the body', (_header, source) => {
    it.skipIf(skip)('answers a sender retry as it answered the first time, and refuses a captured body under a fresh id long after its receipt went', async () => {
      store = await open();
      const first = await send(source, signed(source, body('A'), 'delivery-1', onDay(1)));
      expect(first).toMatchObject({ status: 202, code: 'accepted' });

      // The sender's retry: same id, same bytes — the receipt's full first answer.
      const retry = await send(source, signed(source, body('A'), 'delivery-1', onDay(2)));
      expect(retry).toMatchObject({ status: 202, code: 'duplicate', receiptId: first.receiptId, events: [{ id: first.events[0]!.id, state: 'promoted' }] });
      // A retry whose bytes differ (re-serialised) but whose delivery id is the same: the first status.
      const reserialised = await send(source, signed(source, body('A', 2), 'delivery-1', onDay(2)));
      expect(reserialised).toMatchObject({ status: 202, code: 'duplicate', stored: false, events: [] });
      expect(reserialised.reason).toContain('same delivery id');
      // A new event under a new id is new.
      expect(await send(source, signed(source, body('B'), 'delivery-2', onDay(2)))).toMatchObject({ code: 'accepted' });

      // A second delivery of incident C that changes nothing is a `duplicate` event outside the incident:
      // retention takes it and its body. That is the request the attacker captured.
      expect(await send(source, signed(source, body('C'), 'delivery-3', onDay(2)))).toMatchObject({ code: 'accepted' });
      const captured = signed(source, body('C', 1), 'delivery-4', onDay(2));
      expect((await send(source, captured)).events).toMatchObject([{ state: 'duplicate' }]);
      expect(await cleanup(40)).toMatchObject({ events: 1, receipts: 1, replayKeys: 4 }); // the delivery ids; content keys stay

      for (const [day, id] of [[41, 'delivery-4'], [41, 'fresh-id-from-an-attacker'], [500, 'another-fresh-id']] as const) {
        const replay = await send(source, { ...captured, headers: { ...captured.headers, ...signed(source, captured.rawBody, id, onDay(day)).headers }, receivedAt: new Date(onDay(day)) });
        expect(replay, `day ${day}, id ${id}`).toMatchObject({ status: 202, code: 'duplicate', stored: false });
      }
      expect(await store.transaction((r) => r.receipts.count('acme'))).toBe(3);
    });
  });

  it.skipIf(skip)('keeps content keys of schemes without a timestamp for years and drops timestamped keys and delivery ids after a week', async () => {
    store = await open();
    await send(pagerduty, signed(pagerduty, body('P'), 'pd-1', onDay(1)));
    await send(standard, signed(standard, body('S'), 'msg_1', onDay(1)));
    expect(await keyCount()).toBe(3); // PagerDuty: content + X-Webhook-Id; Standard Webhooks: the signed id

    expect(await cleanup(7)).toMatchObject({ replayKeys: 0 });
    expect(await cleanup(9)).toMatchObject({ replayKeys: 2 });
    expect(await cleanup(400)).toMatchObject({ replayKeys: 0 });
    expect(await cleanup(1825)).toMatchObject({ replayKeys: 0 });
    expect(await keyCount()).toBe(1);
    // Within the window a Standard Webhooks replay fails on its timestamp; the PagerDuty one is still refused by its key.
    expect(await send(pagerduty, signed(pagerduty, body('P'), 'pd-1', onDay(1825)))).toMatchObject({ code: 'duplicate', status: 202 });
    expect(await send(standard, { ...signed(standard, body('S'), 'msg_1', onDay(1)), receivedAt: new Date(onDay(9)) })).toMatchObject({ code: 'unauthorized' });
    expect(await cleanup(1827)).toMatchObject({ replayKeys: 1 });
    expect(await keyCount()).toBe(0);
  });

  it.skipIf(skip)('honours a configured retention, never removes a younger key, and works in small batches', async () => {
    store = await open();
    for (let i = 0; i < 7; i++) await send(pagerduty, signed(pagerduty, body(`E${i}`), `pd-${i}`, onDay(1 + i)));
    expect(await keyCount()).toBe(14);
    const progress: number[] = [];
    const result = await cleanupRetention(store, { tenant: 'acme', olderThanDays: 30, replayKeyRetentionDays: 365, batchSize: 3, onProgress: (p) => progress.push(p.replayKeys) }, { now: () => onDay(369, 12) });
    // Every delivery id (a week), and the content keys of days 1 to 4: older than 365 days on day 369; days 5 to 7 are not.
    expect(result.replayKeys).toBe(11);
    expect(progress.at(-1)).toBe(11);
    expect(progress.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(await keyCount()).toBe(3);
  });

  it.skipIf(skip)('refuses a key retention shorter than the body retention or the timestamp tolerance', async () => {
    store = await open();
    await expect(cleanupRetention(store, { tenant: 'acme', olderThanDays: 30, replayKeyRetentionDays: 29 })).rejects.toThrow(/at least olderThanDays/);
    await expect(cleanupRetention(store, { tenant: 'acme', olderThanDays: 30, shortLivedReplayKeyRetentionDays: 1 })).rejects.toThrow(/at least 2/);
    // A body retention longer than the default key retention carries the keys with it.
    await send(pagerduty, signed(pagerduty, body('L'), 'pd-l', onDay(1)));
    expect(await cleanupRetention(store, { tenant: 'acme', olderThanDays: 3000 }, { now: () => onDay(2000) })).toMatchObject({ replayKeys: 1 }); // the delivery id
    expect(await keyCount()).toBe(1);
  });

  it.skipIf(skip)('stores a 16-byte digest and a time per key, nothing of the body or of the id', async () => {
    store = await open();
    await send(pagerduty, signed(pagerduty, body('SECRET-TITLE'), 'pd-visible-id', onDay(1)));
    const rows = await database.transaction((sql) => sql.all<Record<string, unknown>>('SELECT * FROM replay_keys'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['http_status', 'key_hash', 'seen_at', 'short_lived', 'source_id', 'tenant']);
      expect(Buffer.from(row.key_hash as Uint8Array)).toHaveLength(16);
      expect(JSON.stringify(row)).not.toMatch(/SECRET-TITLE|pd-visible-id/);
      expect(row).toMatchObject({ tenant: 'acme', source_id: 'pd' });
    }
  });

  it.skipIf(skip)('backfills keys from the receipts of a store written before migration 005, so no remembered replay is forgotten', async () => {
    store = await open();
    const captured = signed(pagerduty, body('Q'), 'pd-q', onDay(1));
    await send(pagerduty, captured);
    await send(standard, signed(standard, body('S'), 'msg_s', onDay(1)));
    // Back to the schema before this migration, with the receipts the older intake wrote.
    await database.transaction((sql) => sql.exec('DROP TABLE replay_keys; DELETE FROM schema_migrations WHERE version = 5;'));
    expect(await migrate(database)).toEqual([5]);
    const upgraded = storeOn(database);
    expect(await upgraded.transaction((r) => r.replayKeys.count('acme'))).toBe(3);
    const backfilled = await database.transaction((sql) => sql.all<{ short_lived: unknown; http_status: unknown }>('SELECT short_lived, http_status FROM replay_keys ORDER BY short_lived'));
    // PagerDuty's content key and Standard Webhooks' id kept long; PagerDuty's X-Webhook-Id short-lived.
    expect(backfilled.map((row) => [Number(row.short_lived), Number(row.http_status)])).toEqual([[0, 202], [0, 202], [1, 202]]);

    // Retention then takes the receipts (their events made disposable); the replay is still refused.
    await database.transaction((sql) => sql.run("UPDATE events SET state = 'duplicate', incident_id = NULL"));
    expect(await cleanupRetention(upgraded, { tenant: 'acme', olderThanDays: 30 }, { now: () => onDay(40) })).toMatchObject({ receipts: 2, replayKeys: 1 });
    const replay = await handleIntake(pagerduty, { ...captured, receivedAt: new Date(onDay(41)) }, { store: upgraded, normaliser: passThroughNormaliser });
    expect(replay).toMatchObject({ status: 202, code: 'duplicate', stored: false });
  });
});
