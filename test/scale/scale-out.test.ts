import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret } from '../../core/signing';
import { openPostgresStore, type Store } from '../../core/store';
import { compileProject } from '../delivery/support/build';
import { eventually } from '../delivery/support/fake-clock';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { mainStream, signedAlerts, fingerprint, type SignedRequest, type Unit } from './support/alert-stream';
import { CountingReceiver, WORKER_HEADER } from './support/counting-receiver';
import { isSuccess, Sender, type Exchange } from './support/sender';
import { attemptsOf, drained, readFacts, receiptOf } from './support/store-facts';
import { ScaleWorker } from './support/worker-process';

/**
 * Four worker processes (intake endpoint + reviewer + delivery worker each, from the compiled build) share one
 * PostgreSQL database. A signed Alertmanager stream with transport retries, identity repeats and later
 * statuses is spread over them round-robin, then more requests than the tenant's budget allows; one worker is
 * SIGKILLed in the middle of a delivery and a replacement joins. Everything is then checked against the
 * database and the receiver.
 */
const support = postgresSupport();

const WORKERS = 4;
const IDENTITIES = 48;
const FLOOD = 60;
const BUDGET = 120;
const TENANT = 'acme';
const SOURCE_ID = 'alertmanager-prod';
const SENDERS_IN_FLIGHT = 6;

interface Sent {
  request: SignedRequest;
  /** One exchange per copy sent (a transport retry sends a second copy). */
  exchanges: Exchange[];
}

describe.skipIf(!support.binaries)('scale-out: worker processes sharing one PostgreSQL store', () => {
  const intakeSecret = generateStandardWebhookSecret();
  const deliverySecret = generateStandardWebhookSecret();
  let buildDir: string;
  let cluster: PostgresCluster;
  let storeUrl: string;
  let receiver: CountingReceiver;
  let store: Store;
  const workers: ScaleWorker[] = [];

  beforeAll(async () => {
    buildDir = compileProject();
    cluster = await PostgresCluster.start(support.binaries!);
    storeUrl = await cluster.createDatabase();
    receiver = await CountingReceiver.start(deliverySecret);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((worker) => worker.kill()));
    await store?.close();
    await receiver?.close();
    await cluster?.destroy();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  function spawnWorker(id: string): ScaleWorker {
    const source = { tenant: TENANT, id: SOURCE_ID, provider: 'alertmanager', mode: 'review', auth: { secrets: [{ value: intakeSecret }] }, limits: { tenantPerDay: BUDGET } };
    const destination = {
      kind: 'webhook',
      id: 'soc-webhook',
      tenant: TENANT,
      url: receiver.url,
      headers: { [WORKER_HEADER]: id },
      signing: { secret: deliverySecret },
      policy: { timeoutMs: 5_000, maxAttempts: 10, scheduleMs: [100, 200, 400], jitter: 0, rateLimit: null },
    };
    const worker = ScaleWorker.spawn(id, { BUILD_DIR: buildDir, STORE_URL: storeUrl, SOURCE: JSON.stringify(source), DESTINATION: JSON.stringify(destination), LEASE_MARGIN_MS: '500' });
    workers.push(worker);
    return worker;
  }

  /** Holds the victim's deliveries at the receiver, waits until it has one in flight and recorded every success it got, then SIGKILLs it. */
  async function killMidDelivery(victim: ScaleWorker, sender: Sender): Promise<{ heldAtKill: number }> {
    receiver.hold(victim.id);
    const deadline = Date.now() + 10_000;
    await eventually(() => receiver.heldCount(victim.id) > 0 || Date.now() > deadline, 15_000);
    const recorded = () => new Set(victim.of('result').filter((result) => result.status === 'delivered').map((result) => String(result.key)));
    await eventually(() => receiver.successesFor(victim.id).every((key) => recorded().has(key)), 15_000);
    const heldAtKill = receiver.heldCount(victim.id);
    await victim.kill();
    // A replacement joins under a new id, so the victim's leases must expire before anyone takes its work over.
    sender.retarget(workers.indexOf(victim), await spawnWorker(`worker-${workers.length + 1}`).started());
    return { heldAtKill };
  }

  it('dedupes, promotes once, delivers everything exactly once and holds the budget while a worker is killed', async () => {
    const startedAt = Date.now();
    for (let n = 1; n <= WORKERS; n++) spawnWorker(`worker-${n}`);
    const sender = new Sender(await Promise.all(workers.map((worker) => worker.started())));
    store = await openPostgresStore({ connectionString: storeUrl, poolSize: 2 });
    const sent: Sent[] = [];
    const send = async (request: SignedRequest, mode: Unit['retry'] = 'none'): Promise<Sent> => {
      const target = sender.pick();
      const copies =
        mode === 'concurrent'
          ? await Promise.all([sender.send(request, target), sender.send(request, target + 1)])
          : [await sender.send(request, target)];
      if (mode === 'after-answer') copies.push(await sender.send(request, target + 2));
      const entry = { request, exchanges: copies };
      sent.push(entry);
      return entry;
    };

    // Main stream, with the kill when about 40% of it has been sent.
    const units = mainStream(intakeSecret, IDENTITIES);
    let done = 0;
    let kill: Promise<{ heldAtKill: number }> | undefined;
    await inParallel(units, SENDERS_IN_FLIGHT, async (unit) => {
      const firing = await send(unit.firing, unit.retry);
      if (++done === Math.round(units.length * 0.4)) kill = killMidDelivery(workers[1]!, sender);
      if (!firing.exchanges.every((copy) => isSuccess(copy.at(-1)))) return;
      if (unit.repeat) await send(unit.repeat);
      for (const resolved of unit.resolved) await send(resolved, 'after-answer');
    });
    const { heldAtKill } = await kill!;

    // Beyond the tenant's budget.
    const flood = Array.from({ length: FLOOD }, (_, n) => signedAlerts(intakeSecret, 'flood', [1_000 + n]));
    await inParallel(flood, 8, (request) => send(request));

    await eventually(() => drained(store, TENANT), 90_000);
    const survivors = workers.filter((_, index) => index !== 1);
    expect(await Promise.all(survivors.map((worker) => worker.stop()))).toEqual(survivors.map(() => 0));
    const seconds = (Date.now() - startedAt) / 1000;

    const facts = await readFacts(store, TENANT, startedAt);
    const answers = sent.flatMap((entry) => entry.exchanges.map((copy) => copy.at(-1)!));
    const accepted = sent.filter((entry) => entry.exchanges.some((copy) => isSuccess(copy.at(-1))));

    // Every request ended with an answer: 2xx, or 429 beyond the budget; nothing else.
    expect(answers.filter((answer) => !isSuccess(answer) && answer.status !== 429)).toEqual([]);
    const mainSent = sent.filter((entry) => entry.request.kind !== 'flood');
    expect(mainSent.filter((entry) => !accepted.includes(entry)).map((entry) => entry.request.messageId)).toEqual([]);

    // Every 2xx-answered request is stored exactly once (one receipt, same id in every copy's answer, its events); nothing else is stored.
    for (const entry of accepted) {
      const receiptIds = new Set(entry.exchanges.map((copy) => copy.at(-1)).filter(isSuccess).map((answer) => answer!.receiptId));
      expect(receiptIds.size, entry.request.messageId).toBe(1);
      const { receipt, events } = await receiptOf(store, TENANT, SOURCE_ID, entry.request.messageId);
      expect(receipt?.id, entry.request.messageId).toBe([...receiptIds][0]);
      expect(events.map((event) => event.candidate && (event.candidate as { externalId: string }).externalId)).toEqual(entry.request.identities.map(fingerprint));
    }
    expect(facts.receiptCount).toBe(accepted.length);

    // No duplicate incidents; no event lost: every accepted identity became exactly one incident, in its latest accepted status.
    expect(facts.pending).toEqual([]);
    expect(new Set(facts.incidents.map((incident) => incident.dedupeKey)).size).toBe(facts.incidents.length);
    const expected = expectedStatuses(accepted);
    const actual = new Map(facts.incidents.map((incident) => [incident.canonical.externalId, incident.status]));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    const created = facts.audit.filter((entry) => entry.action === 'incident.created').map((entry) => entry.subjectId);
    expect(created.sort()).toEqual(facts.incidents.map((incident) => incident.id).sort());
    const promotions = facts.audit.filter((entry) => entry.action === 'event.promoted').map((entry) => entry.subjectId);
    expect(new Set(promotions).size).toBe(promotions.length);
    expect(facts.auditBreak).toBeUndefined();

    // Every delivery completed; no idempotency key answered 2xx twice; every request the receiver got was signed.
    expect(facts.deliveries.filter((delivery) => delivery.state !== 'delivered')).toEqual([]);
    const notOnce = facts.deliveries.filter((delivery) => receiver.successCount(delivery.idempotencyKey) !== 1);
    expect(Object.fromEntries(notOnce.map((delivery) => [delivery.idempotencyKey, receiver.answers.get(delivery.idempotencyKey)]))).toEqual({});
    expect([...receiver.answers.keys()].sort()).toEqual(facts.deliveries.map((delivery) => delivery.idempotencyKey).sort());
    expect([...receiver.answers.values()].flat().every((answer) => answer.verified)).toBe(true);
    const attempts = await Promise.all(facts.deliveries.map((delivery) => attemptsOf(store, TENANT, delivery.id)));
    expect(attempts.map((list) => list.filter((attempt) => attempt.outcome === 'success').length)).toEqual(facts.deliveries.map(() => 1));
    const reclaimed = attempts.flat().filter((attempt) => attempt.reason === 'lease_expired').length;
    if (heldAtKill > 0) expect(reclaimed).toBeGreaterThanOrEqual(heldAtKill);

    // The budget held across all workers: never more accepted requests than it allows, and the rest got 429 with Retry-After.
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((answer) => Number(answer.retryAfter) > 0)).toBe(true);
    expect(accepted.length).toBeLessThanOrEqual(BUDGET);
    expect(Math.max(...facts.budgetCounts)).toBeLessThanOrEqual(BUDGET);

    expect(workers[1]!.of('promoted').length + workers[1]!.of('result').length).toBeGreaterThan(0);
    const all = workers.flatMap((worker) => worker.messages);
    console.info(
      `scale-out: ${WORKERS} worker processes, 1 SIGKILLed (${heldAtKill} deliveries in flight, ${reclaimed} reclaimed after the lease) and replaced; ` +
        `${sent.length} logical requests (${mainSent.length} stream + ${FLOOD} over budget), ${sender.attempts} HTTP requests, ` +
        `${sent.filter((entry) => entry.exchanges.length > 1).length} requests retried by the transport (same message id to another worker), ` +
        `re-sent after ${JSON.stringify(countBy(sent.flatMap((entry) => entry.exchanges.flatMap((copy) => copy.slice(0, -1))).map((answer) => answer.status || 'no answer')))}, ` +
        `${sent.filter((entry) => entry.request.kind === 'repeat').length} identity repeats, ` +
        `${sent.filter((entry) => entry.request.kind === 'resolved').length} later statuses; ${accepted.length} accepted, ${refused.length} × 429; ` +
        `${facts.incidents.length} incidents, ${all.filter((m) => m.type === 'promoted').length} promotions, ${all.filter((m) => m.type === 'conflict').length} promotion conflicts; ` +
        `${facts.deliveries.length} deliveries, ${[...receiver.answers.values()].flat().filter((answer) => answer.status === 503).length} answered 503 and retried; ` +
        `${seconds.toFixed(1)} s from spawn to drained`,
    );
    const errors = all.filter((message) => message.type === 'error' || message.type === 'fatal');
    if (errors.length > 0) console.info(`worker errors (retried by their loops): ${JSON.stringify(errors.slice(0, 5))}`);
  }, 240_000);
});

/** The status each identity's incident must end in: resolved when its resolved request was accepted, else open. */
function expectedStatuses(accepted: Sent[]): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const { request } of accepted) {
    for (const identity of request.identities) {
      const key = fingerprint(identity);
      if (request.kind === 'resolved') statuses.set(key, 'resolved');
      else if (!statuses.has(key)) statuses.set(key, 'open');
    }
  }
  return statuses;
}

function countBy(values: ReadonlyArray<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
