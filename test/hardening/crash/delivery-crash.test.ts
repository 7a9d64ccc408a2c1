import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueDelivery } from '../../../core/delivery';
import { openSqliteStore } from '../../../core/store';
import { startFlakyReceiver } from '../support/flaky-receiver';
import { incidentRecord } from '../support/incident-record';
import { SECRETS } from '../support/secrets';
import { startChild } from './child-process';
import { checkOutbox, isFinal } from './delivery-invariants';
import { deadline, dist, iterations, randomInt } from './iterations';

const CHILD = join(__dirname, 'delivery-child.cjs');
const MAX_ATTEMPTS = 4;
const work = mkdtempSync(join(tmpdir(), 'hardening-delivery-crash-'));
const dbPath = join(work, 'outbox.sqlite');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tally = { iterations: 0, crashes: 0, enqueued: 0, delivered: 0, deadLettered: 0, lost: 0, attemptsSeen: 0 };
afterAll(() => console.log(`HARDENING crash-delivery ${Object.entries(tally).map(([k, v]) => `${k}=${v}`).join(' ')}`));

const enqueued = new Set<string>();
let incidents = 0;

async function enqueue(destination: object, count: number): Promise<void> {
  const store = await openSqliteStore(dbPath);
  try {
    for (let i = 0; i < count; i++) {
      const { delivery } = await enqueueDelivery(store, { destination: destination as { id: string; kind: string; tenant: string }, incident: incidentRecord(`inc_crash_${incidents++}`) });
      enqueued.add(delivery.id);
    }
  } finally {
    await store.close();
  }
}

/** Dead letters for any reason but the two legitimate ones: the receiver refused (400) or the attempts ran out. */
function deadLetterReasons(ids: string[]): string[] {
  const db = new DatabaseSync(dbPath);
  try {
    return ids.flatMap((id) => {
      const last = db.prepare('SELECT number, outcome, reason FROM delivery_attempts WHERE delivery_id = ? ORDER BY number DESC LIMIT 1').get(id) as { number: number; outcome: string; reason: string };
      const legitimate = (last.outcome === 'terminal' && last.reason === 'http_400') || Number(last.number) >= MAX_ATTEMPTS;
      return legitimate ? [] : [`${id}: ${JSON.stringify(last)}`];
    });
  } finally {
    db.close();
  }
}

describe('SIGKILL during delivery', () => {
  it('every accepted delivery is eventually delivered or dead-lettered, never lost', async () => {
    const receiver = await startFlakyReceiver({ ok: 60, unavailable: 15, slow: 10, hang: 5, reset: 5, 'gone-wrong': 5 });
    const destination = {
      kind: 'webhook',
      tenant: 'crash',
      id: 'crash-receiver',
      url: `${receiver.url}/incidents`,
      signing: { secret: SECRETS.deliverySigning },
      policy: { timeoutMs: 300, maxAttempts: MAX_ATTEMPTS, scheduleMs: [20, 40, 80], jitter: 0 },
    };
    const env = { DIST: dist(), DB_PATH: dbPath, DESTINATION: JSON.stringify(destination), WORKER_ID: 'crash-host' };
    try {
      await enqueue(destination, 30);
      const end = deadline(45_000);
      for (let i = 0; i < iterations(15) && Date.now() < end; i++) {
        const child = startChild(CHILD, env);
        await child.ready;
        // Work keeps arriving while the host runs, as promotions would enqueue it.
        const more = enqueue(destination, randomInt(0, 5));
        await new Promise((resolve) => setTimeout(resolve, randomInt(20, 500)));
        await child.kill();
        await more;
        tally.iterations++;
        tally.crashes++;
        const check = checkOutbox(dbPath, enqueued);
        tally.lost += check.problems.filter((problem) => /is gone/.test(problem)).length;
        expect(check.problems, `after kill ${i}`).toEqual([]);
      }

      // Then the host runs undisturbed until the outbox is empty.
      const child = startChild(CHILD, env);
      await child.ready;
      const settleBy = Date.now() + 60_000;
      while (!checkOutbox(dbPath, enqueued).rows.every(isFinal) && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await child.stop()).toBe(0);
      const final = checkOutbox(dbPath, enqueued);
      expect(final.problems).toEqual([]);
      expect(final.rows).toHaveLength(enqueued.size);
      expect(final.rows.filter((row) => !isFinal(row)).map((row) => `${row.id} ${row.state}`)).toEqual([]);
      for (const row of final.rows.filter((r) => r.state === 'delivered')) {
        expect(receiver.received.some((request) => request.key === row.idempotency_key && request.status === 200), `${row.id} delivered without a 2xx at the receiver`).toBe(true);
      }
      expect(deadLetterReasons(final.rows.filter((row) => row.state === 'dead_letter').map((row) => row.id))).toEqual([]);
      tally.enqueued = enqueued.size;
      tally.delivered = final.rows.filter((row) => row.state === 'delivered').length;
      tally.deadLettered = final.rows.filter((row) => row.state === 'dead_letter').length;
      tally.attemptsSeen = receiver.received.length;
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
