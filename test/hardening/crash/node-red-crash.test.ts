import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../core/signing';
import { REPO, startNodeRed, waitFor } from '../../support/node-red-runtime';
import { startFlakyReceiver } from '../support/flaky-receiver';
import { userDirWithPackage } from '../support/node-red-host';
import { sendWire } from '../support/raw-http';
import { SECRETS } from '../support/secrets';
import { checkOutbox } from './delivery-invariants';
import { checkIntakeStore, type SentMessage } from './intake-invariants';
import { deadline, iterations, randomInt } from './iterations';

/**
 * The crash loop against the host users run: a real Node-RED (a private build of the current sources in its
 * user directory) takes a stream of signed requests through an `incident-intake` node — auto-create mode, the
 * SQLite store in the user directory, the incident output wired to a `webhook out` node, so every incident
 * change is enqueued in the intake transaction and delivered by the node's outbox worker to a flaky receiver —
 * and is SIGKILLed at a random moment, then started again on the same user directory (flows, credentials and
 * store as it left them). After each kill the store it left behind is checked (a copy of the file, WAL and
 * shared memory, so that the next Node-RED recovers its own crash).
 */
const SECRET = SECRETS.standardWebhooks;
const STORE_FILE = 'crash.sqlite';
const TENANT = 'crash';
/** Requests the sender keeps in flight at once. */
const IN_FLIGHT = 4;
/** Of the requests the sender sends, the share that are retries of earlier ones. */
const RETRY_SHARE = 0.15;

const work = mkdtempSync(join(tmpdir(), 'hardening-node-red-crash-'));
const userDir = userDirWithPackage();
const dbPath = join(userDir, STORE_FILE);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(userDir, { recursive: true, force: true });
});

type Message = SentMessage & { body: Buffer; headers: Record<string, string> };
const messages = new Map<string, Message>();
let nextMessage = 0;

/** A new signed alert; a few dedupe keys so that requests create, update and repeat incidents. */
function newMessage(): Message {
  const id = `msg_nr_crash_${nextMessage++}`;
  const body = Buffer.from(JSON.stringify({ type: 'incident.created', data: { id: `K${randomInt(1, 8)}`, title: `Crash ${id}`, severity: ['high', 'low'][randomInt(0, 1)], status: ['open', 'resolved'][randomInt(0, 1)] } }));
  const message = { id, body, headers: signRequest('standard-webhooks', SECRET, body, { id }), answers: [] };
  messages.set(id, message);
  return message;
}

const is2xx = (status: number) => status >= 200 && status < 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(port: number, message: Message): Promise<number> {
  const response = await sendWire(port, { path: '/intake/crash', headers: [['Content-Type', 'application/json'], ...Object.entries(message.headers)], body: message.body }, 15_000).catch(() => ({ status: 0, body: '', bytesWritten: 0 }));
  // No runtime listening (yet, or any more): nothing of the request reached a host.
  if (response.status === 0 && response.bytesWritten === 0) tally.refused++;
  let receiptId: string | undefined;
  try {
    receiptId = (JSON.parse(response.body) as { receiptId?: string }).receiptId;
  } catch {
    receiptId = undefined;
  }
  message.answers.push({ status: response.status, receiptId });
  return response.status;
}

function flows(receiverUrl: string): object[] {
  return [
    { id: 'c-tab', type: 'tab', label: 'Crash' },
    { id: 'c-store', type: 'intake-store', sqlitePath: STORE_FILE },
    {
      id: 'c-src',
      type: 'intake-source',
      tenant: TENANT,
      sourceId: 'crash-src',
      provider: 'generic',
      mode: 'auto-create',
      scheme: 'standard-webhooks',
      sourcePerHour: '1000000',
      tenantPerDay: '1000000',
      quarantineDisableCount: '1000000',
      credentials: { secret: SECRET },
    },
    { id: 'c-in', z: 'c-tab', type: 'incident-intake', source: 'c-src', store: 'c-store', path: '/intake/crash', wires: [[], ['c-out'], []] },
    {
      id: 'c-out',
      z: 'c-tab',
      type: 'webhook-out',
      store: 'c-store',
      tenant: TENANT,
      url: `${receiverUrl}/incidents`,
      scheme: 'standard-webhooks',
      allowHosts: '127.0.0.1',
      maxAttempts: '5',
      timeoutSeconds: '0.3',
      retrySchedule: '0.02, 0.04, 0.08',
      credentials: { secret: SECRETS.deliverySigning },
      wires: [[]],
    },
  ];
}

const tally = { iterations: 0, requests: 0, retries: 0, answered2xx: 0, cutOff: 0, refused: 0, crashes: 0, killedStarting: 0, losses: 0, halfWritten: 0, deliveries: 0, delivered: 0, deadLettered: 0 };
afterAll(() => console.log(`HARDENING crash-node-red ${Object.entries(tally).map(([k, v]) => `${k}=${v}`).join(' ')}`));

/** Problems that lose something the sender was told is kept, and records left half-written. */
const isLoss = (problem: string) => /stored \d+ times|answered with receipt|is gone/.test(problem);
const isHalfWritten = (problem: string) => /half-written|events, expected|without|no delivery|missing incident|attempts \[|still leased/.test(problem);

/** The messages answered 2xx at least once, and the requests that got no answer (less those no host ever read). */
function countAnswers(): void {
  tally.answered2xx = [...messages.values()].filter((m) => m.answers.some((a) => is2xx(a.status))).length;
  tally.cutOff = [...messages.values()].reduce((n, m) => n + m.answers.filter((a) => a.status === 0).length, 0) - tally.refused;
}

/**
 * Sends until told to stop, IN_FLIGHT at a time: first what was never answered 2xx, then new requests, with
 * retries of earlier ones mixed in. A worker whose request found no host (status 0) stops, unless the host is
 * still starting (then it tries again a little later, as senders do).
 */
async function sendStream(port: number, stop: { stopped: boolean }, hostStarting = false): Promise<void> {
  const backlog = [...messages.values()].filter((m) => !m.answers.some((a) => is2xx(a.status)));
  const next = () => {
    const sent = [...messages.values()];
    const retry = backlog.length === 0 && sent.length > 0 && Math.random() < RETRY_SHARE;
    if (retry) tally.retries++;
    return backlog.shift() ?? (retry ? sent[randomInt(0, sent.length - 1)]! : newMessage());
  };
  const worker = async () => {
    for (let message = next(); !stop.stopped; ) {
      tally.requests++;
      const status = await send(port, message);
      if (status === 0 && !hostStarting) return;
      if (is2xx(status)) {
        message = next();
        continue;
      }
      // Not answered 2xx (no host listening yet, no route yet, or asked to retry): the sender retries it a
      // little later.
      tally.retries++;
      await sleep(50);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

interface Host {
  child: ChildProcess;
  log(): string;
}

/**
 * Node-RED started again on the user directory with the settings the last start wrote (same port), returned at
 * once rather than when it answers, so that it can be killed at any point of its start-up: loading the flows,
 * opening the store (recovering the WAL, migrations), the delivery worker taking back its leases.
 */
function spawnNodeRed(): Host & { port: number } {
  const settings = join(userDir, 'settings.js');
  const port = Number(/uiPort: (\d+)/.exec(readFileSync(settings, 'utf8'))?.[1]);
  const child = spawn(process.execPath, [join(REPO, 'node_modules/node-red/red.js'), '--userDir', userDir, '--settings', settings], { cwd: userDir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, port, log: () => output };
}

/** SIGKILL, no warning; an exit of its own before that is a finding. */
async function kill(red: Host): Promise<void> {
  const { child } = red;
  if (child.exitCode !== null || child.signalCode !== null) {
    // A start-up on the last start's port can lose it to another process on a busy machine: not a finding.
    if (/EADDRINUSE/.test(red.log())) return;
    throw new Error(`Node-RED exited by itself (${child.exitCode ?? child.signalCode}):\n${red.log().slice(-4000)}`);
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The store as the killed host left it (file, WAL and shared memory), copied so that checking it recovers nothing in place. */
function snapshot(name: string): string {
  const copy = join(work, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${copy}${suffix}`, { force: true });
    if (existsSync(`${dbPath}${suffix}`)) copyFileSync(`${dbPath}${suffix}`, `${copy}${suffix}`);
  }
  return copy;
}

function deliveryStates(path: string): Array<{ state: string; idempotency_key: string }> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT state, idempotency_key FROM deliveries').all() as never;
  } finally {
    db.close();
  }
}

const started = (red: Host) => waitFor(async () => /Started flows/.test(red.log()), 30_000, () => red.log());

describe('SIGKILL a real Node-RED taking signed requests', () => {
  it('every request answered 2xx is stored exactly once, nothing is half-written, every incident change is delivered or dead-lettered', async () => {
    const receiver = await startFlakyReceiver({ ok: 75, unavailable: 10, hang: 5, reset: 5, 'gone-wrong': 5 });
    const enqueued = new Set<string>();
    const end = deadline(25_000);
    /** The runtime of the moment, killed on the way out if a step fails while it runs. */
    let current: Host | undefined;
    try {
      for (let i = 0; i < iterations(6) && (i === 0 || Date.now() < end); i++) {
        // Now and then the sender is already retrying while Node-RED starts, and the kill may come before it
        // has started its flows.
        const whileStarting = i > 0 && Math.random() < 0.3;
        let red: Host;
        let port: number;
        if (whileStarting) {
          ({ port, ...red } = spawnNodeRed());
        } else {
          const running = await startNodeRed({ userDir, linkPackage: false });
          current = running;
          if (i === 0) await running.deploy(flows(receiver.url));
          await started(running);
          red = running;
          port = Number(new URL(running.url).port);
        }
        current = red;
        const stop = { stopped: false };
        const stream = sendStream(port, stop, whileStarting);
        await sleep(whileStarting ? randomInt(0, 5_000) : randomInt(0, 1_500));
        if (!/Started flows/.test(red.log())) tally.killedStarting++;
        stop.stopped = true;
        await kill(red);
        await stream;
        tally.iterations++;
        tally.crashes++;

        const copy = snapshot(`after-kill-${i}`);
        const check = await checkIntakeStore(copy, messages.values());
        const outbox = checkOutbox(copy, enqueued);
        for (const row of outbox.rows) enqueued.add(row.id);
        const problems = [...check.problems, ...outbox.problems];
        tally.losses += problems.filter(isLoss).length;
        tally.halfWritten += problems.filter(isHalfWritten).length;
        countAnswers();
        expect(problems, `after kill ${i}`).toEqual([]);
      }

      // A clean run at the end: every request ever sent is sent once more (a sender's retry), each ends up
      // stored exactly once, and the outbox drains.
      const red = await startNodeRed({ userDir, linkPackage: false });
      current = red;
      await started(red);
      const port = Number(new URL(red.url).port);
      const all = [...messages.values()];
      for (let start = 0; start < all.length; start += 2 * IN_FLIGHT) await Promise.all(all.slice(start, start + 2 * IN_FLIGHT).map((message) => send(port, message)));
      tally.requests += all.length;
      tally.retries += all.length;
      const settleBy = Date.now() + 30_000;
      while (deliveryStates(dbPath).some((row) => row.state !== 'delivered' && row.state !== 'dead_letter') && Date.now() < settleBy) await sleep(200);
      await kill(red);

      const copy = snapshot('final');
      const final = await checkIntakeStore(copy, all);
      const outbox = checkOutbox(copy, enqueued);
      tally.deliveries = outbox.rows.length;
      tally.delivered = outbox.rows.filter((row) => row.state === 'delivered').length;
      tally.deadLettered = outbox.rows.filter((row) => row.state === 'dead_letter').length;
      const problems = [...final.problems, ...outbox.problems];
      tally.losses += problems.filter(isLoss).length;
      tally.halfWritten += problems.filter(isHalfWritten).length;

      expect(problems, 'after the final resend').toEqual([]);
      for (const message of all) expect(message.answers.at(-1)!.status, `${message.id}: ${JSON.stringify(message.answers)}`).toBe(202);
      expect(final.receipts).toBe(all.length);
      expect(outbox.rows.filter((row) => row.state !== 'delivered' && row.state !== 'dead_letter')).toEqual([]);
      for (const row of outbox.rows.filter((r) => r.state === 'delivered')) expect(receiver.received.some((request) => request.key === row.idempotency_key && request.status === 200), `delivery ${row.id}`).toBe(true);
      expect(tally.answered2xx).toBeGreaterThan(0);
      expect(tally.deliveries).toBeGreaterThan(0);
    } finally {
      if (current && current.child.exitCode === null && current.child.signalCode === null) await kill(current).catch(() => undefined);
      await receiver.close();
    }
  }, 240_000);
});
