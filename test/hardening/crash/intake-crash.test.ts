import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../core/signing';
import { DatabaseSync } from 'node:sqlite';
import { startFlakyReceiver } from '../support/flaky-receiver';
import { sendWire } from '../support/raw-http';
import { SECRETS } from '../support/secrets';
import { startChild } from './child-process';
import { checkIntakeStore, type SentMessage } from './intake-invariants';
import { deadline, dist, iterations, randomInt } from './iterations';

const CHILD = join(__dirname, 'intake-child.cjs');
const SECRET = SECRETS.standardWebhooks;
const work = mkdtempSync(join(tmpdir(), 'hardening-intake-crash-'));
const dbPath = join(work, 'intake.sqlite');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const messages = new Map<string, SentMessage & { body: Buffer; headers: Record<string, string> }>();
let nextMessage = 0;

/** A new signed alert; a few dedupe keys so that requests create, update and repeat incidents. */
function newMessage() {
  const id = `msg_crash_${nextMessage++}`;
  const body = Buffer.from(JSON.stringify({ type: 'incident.created', data: { id: `K${randomInt(1, 8)}`, title: `Crash ${id}`, severity: ['high', 'low'][randomInt(0, 1)], status: ['open', 'resolved'][randomInt(0, 1)] } }));
  const message = { id, body, headers: signRequest('standard-webhooks', SECRET, body, { id }), answers: [] };
  messages.set(id, message);
  return message;
}

async function send(port: number, message: SentMessage & { body: Buffer; headers: Record<string, string> }): Promise<void> {
  const response = await sendWire(port, { path: '/intake', headers: [['Content-Type', 'application/json'], ...Object.entries(message.headers)], body: message.body }, 10_000).catch(() => ({ status: 0, body: '' }));
  let receiptId: string | undefined;
  try {
    receiptId = (JSON.parse(response.body) as { receiptId?: string }).receiptId;
  } catch {
    receiptId = undefined;
  }
  message.answers.push({ status: response.status, receiptId });
}

const tally = { iterations: 0, requests: 0, answered2xx: 0, cutOff: 0, crashes: 0, losses: 0, halfWritten: 0, deliveries: 0, delivered: 0 };
afterAll(() => console.log(`HARDENING crash-intake ${Object.entries(tally).map(([k, v]) => `${k}=${v}`).join(' ')}`));

/** Delivery states of every delivery in the store. */
function deliveryStates(): Array<{ state: string; idempotency_key: string }> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare('SELECT state, idempotency_key FROM deliveries').all() as never;
  } finally {
    db.close();
  }
}

describe('SIGKILL during intake and delivery', () => {
  it('every request answered 2xx is stored exactly once, nothing is half-written, every incident change is delivered or dead-lettered', async () => {
    const receiver = await startFlakyReceiver({ ok: 80, unavailable: 10, hang: 5, reset: 5 });
    const destination = { kind: 'webhook', tenant: 'crash', id: 'crash-receiver', url: `${receiver.url}/incidents`, signing: { secret: SECRETS.deliverySigning }, policy: { timeoutMs: 300, maxAttempts: 5, scheduleMs: [20, 40, 80], jitter: 0 } };
    const env = { DIST: dist(), DB_PATH: dbPath, SECRET, DESTINATION: JSON.stringify(destination), WORKER_ID: 'crash-intake-host' };
    const end = deadline(60_000);
    for (let i = 0; i < iterations(15) && Date.now() < end; i++) {
      const child = startChild(CHILD, env);
      const { port } = (await child.ready) as { port: number };
      const unanswered = [...messages.values()].filter((m) => !m.answers.some((a) => a.status >= 200 && a.status < 300)).slice(0, 15);
      const answeredBefore = [...messages.values()].filter((m) => m.answers.some((a) => a.status === 202)).slice(-3);
      const batch = [...unanswered, ...answeredBefore, ...Array.from({ length: randomInt(5, 25) }, newMessage)];
      const sends = batch.map((message) => send(port, message));
      // Anywhere from before the first request is read to after the last is answered.
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 600)));
      await child.kill();
      await Promise.all(sends);
      tally.iterations++;
      tally.crashes++;
      tally.requests += batch.length;
      const check = await checkIntakeStore(dbPath, messages.values());
      tally.losses += check.problems.filter((problem) => /stored|receipt rcp/.test(problem) && !/half-written/.test(problem)).length;
      tally.halfWritten += check.problems.filter((problem) => /half-written|events, expected|without|no delivery/.test(problem)).length;
      expect(check.problems, `after kill ${i}`).toEqual([]);
    }

    // A clean run at the end: everything ever sent is resent, every message ends up stored exactly once, and
    // the outbox drains.
    const child = startChild(CHILD, env);
    const { port } = (await child.ready) as { port: number };
    const all = [...messages.values()];
    for (let start = 0; start < all.length; start += 20) await Promise.all(all.slice(start, start + 20).map((message) => send(port, message)));
    const settleBy = Date.now() + 60_000;
    while (deliveryStates().some((row) => row.state !== 'delivered' && row.state !== 'dead_letter') && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 200));
    await child.kill();
    await receiver.close();
    const deliveries = deliveryStates();
    expect(deliveries.filter((row) => row.state !== 'delivered' && row.state !== 'dead_letter')).toEqual([]);
    for (const row of deliveries.filter((r) => r.state === 'delivered')) expect(receiver.received.some((request) => request.key === row.idempotency_key && request.status === 200)).toBe(true);
    tally.deliveries = deliveries.length;
    tally.delivered = deliveries.filter((row) => row.state === 'delivered').length;
    for (const message of all) {
      const last = message.answers.at(-1)!;
      expect(last.status, `${message.id}: ${JSON.stringify(message.answers)}`).toBe(202);
    }
    const final = await checkIntakeStore(dbPath, all);
    expect(final.problems).toEqual([]);
    expect(final.receipts).toBe(all.length);
    tally.answered2xx = all.filter((m) => m.answers.slice(0, -1).some((a) => a.status >= 200 && a.status < 300)).length;
    tally.cutOff = all.reduce((n, m) => n + m.answers.filter((a) => a.status === 0).length, 0);
  }, 180_000);
});
