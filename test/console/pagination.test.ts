import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, SqliteDatabase, storeOn, type SqlDatabase, type Store } from '../../core/store';
import { insertEvents } from './support/bulk-events';
import { signedIn, startConsole, usersByRole, type ConsoleClient, type ConsoleServer } from './support/console-fixture';

const EVENTS = 100_000;
let database: SqlDatabase;
let store: Store;
let server: ConsoleServer;
let viewer: ConsoleClient;

beforeAll(async () => {
  database = new SqliteDatabase({ path: ':memory:' });
  await migrate(database);
  store = storeOn(database);
  await insertEvents(database, EVENTS);
  server = await startConsole(store, await usersByRole());
  viewer = await signedIn(server.url, 'viewer');
}, 120_000);
afterAll(async () => {
  await server.close();
  await store.close();
});

async function apiPage(query: string): Promise<{ items: Array<{ id: string; receivedAt: string; sourceId: string }>; next: string | null }> {
  const answer = await viewer.get(`/api/v1/review-queue?${query}`);
  expect(answer.status, answer.text).toBe(200);
  return JSON.parse(answer.text);
}

describe('keyset pagination at 100k events', () => {
  it('walks one source\'s whole queue without a gap or a repeat, newest first', async () => {
    const expected = await database.transaction((client) =>
      client.all<{ id: string }>("SELECT id FROM events WHERE tenant = 'acme' AND state = 'pending_review' AND source_id = 'src-3' ORDER BY received_at DESC, id DESC"),
    );
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await apiPage(`source=src-3&limit=200${next ? `&after=${next}` : ''}`);
      expect(page.items.every((item) => item.sourceId === 'src-3')).toBe(true);
      seen.push(...page.items.map((item) => item.id));
      next = page.next;
    } while (next);
    expect(seen.length).toBe(expected.length);
    expect(seen).toEqual(expected.map((row) => row.id));
  });

  it('serves the first and a deep page of the queue page itself, 25 cards each', async () => {
    const first = await viewer.get('/queue');
    expect(first.status).toBe(200);
    expect(first.text).toContain('10000+ pending'); // counted up to a cap, not over all 60k
    expect(first.text.match(/<article class="card"/g)).toHaveLength(25);
    expect(first.text).toContain('evt_bulk_00099999'); // 100000 itself is quarantined
    let cursor = /href="\/queue\?after=([^"]+)"/.exec(first.text)![1]!;
    for (let page = 0; page < 3; page++) {
      const answer = await viewer.get(`/queue?after=${cursor}`);
      expect(answer.text.match(/<article class="card"/g)).toHaveLength(25);
      cursor = /rel="next" href="\/queue\?after=([^"]+)"/.exec(answer.text)![1]!;
    }
    const deep = await viewer.get(`/queue?after=${Buffer.from(JSON.stringify([Date.parse('2026-11-01T00:00:00Z') + 10, 'evt_bulk_00000031'])).toString('base64url')}`);
    expect(deep.text).toContain('evt_bulk_00000029');
    expect(deep.text).not.toContain('evt_bulk_00000031');
  });

  it('reads each list from an index, never sorting the table (query plans)', async () => {
    const plans = await database.transaction(async (client) => {
      const plan = async (sql: string) => (await client.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)).map((row) => row.detail).join(' | ');
      return {
        queue: await plan("SELECT * FROM events WHERE tenant = 'acme' AND state = 'pending_review' AND (received_at, id) < (5, 'x') ORDER BY received_at DESC, id DESC LIMIT 26"),
        bySource: await plan("SELECT * FROM events WHERE tenant = 'acme' AND state = 'pending_review' AND source_id = 'src-1' ORDER BY received_at DESC, id DESC LIMIT 26"),
        incidents: await plan("SELECT * FROM incidents WHERE tenant = 'acme' AND updated_at >= 0 ORDER BY updated_at DESC, id DESC LIMIT 51"),
        deliveries: await plan("SELECT * FROM deliveries WHERE tenant = 'acme' AND destination_id = 'd' AND state = 'dead_letter' ORDER BY created_at DESC, id DESC LIMIT 51"),
      };
    });
    for (const [list, plan] of Object.entries(plans)) {
      expect(plan, list).toMatch(/USING (COVERING )?INDEX/);
      expect(plan, list).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('groups the 10k quarantined events (all from src-0) by source and reason', async () => {
    const page = await viewer.get('/quarantine');
    expect(page.text).toContain('is required');
    expect(page.text).toContain('<strong>10000</strong>');
  });

  it('refuses a tampered cursor with a clear 400', async () => {
    const answer = await viewer.get('/api/v1/review-queue?after=not-a-cursor');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toMatch(/cursor/);
  });
});
