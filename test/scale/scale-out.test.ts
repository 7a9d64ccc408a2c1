import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStandardWebhookSecret } from '../../core/signing';
import { openPostgresStore, type Store } from '../../core/store';
import { compileProject } from '../delivery/support/build';
import { eventually } from '../delivery/support/fake-clock';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { mainStream, signedAlerts } from './support/alert-stream';
import { CountingReceiver, WORKER_HEADER } from './support/counting-receiver';
import { checkAnswers, checkBudget, checkDeliveries, checkIncidents, checkStoredOnce } from './support/scale-checks';
import { summarise } from './support/scale-summary';
import { Sender } from './support/sender';
import { drained, readFacts } from './support/store-facts';
import { allAnswered, Traffic } from './support/traffic';
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
const VICTIM = 1;
const IDENTITIES = 48;
const FLOOD = 60;
const BUDGET = 120;
const TENANT = 'acme';
const SOURCE_ID = 'alertmanager-prod';
const SENDERS_IN_FLIGHT = 6;

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
    store = await openPostgresStore({ connectionString: storeUrl, poolSize: 2 });
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
    const env = { BUILD_DIR: buildDir, STORE_URL: storeUrl, SOURCE: JSON.stringify(source), DESTINATION: JSON.stringify(destination), LEASE_MARGIN_MS: '500' };
    const worker = ScaleWorker.spawn(id, env);
    workers.push(worker);
    return worker;
  }

  /**
   * Holds the victim's deliveries at the receiver, waits until it has one in flight and has recorded every
   * success it was answered, then SIGKILLs it. A replacement joins under a new id, so the victim's leases
   * must expire before anyone takes its work over.
   */
  async function killMidDelivery(victim: ScaleWorker, sender: Sender): Promise<number> {
    receiver.hold(victim.id);
    const deadline = Date.now() + 10_000;
    await eventually(() => receiver.heldCount(victim.id) > 0 || Date.now() > deadline, 15_000);
    const recorded = () => new Set(victim.of('result').filter((result) => result.status === 'delivered').map((result) => String(result.key)));
    await eventually(() => receiver.successesFor(victim.id).every((key) => recorded().has(key)), 15_000);
    const heldAtKill = receiver.heldCount(victim.id);
    await victim.kill();
    sender.retarget(workers.indexOf(victim), await spawnWorker(`worker-${workers.length + 1}`).started());
    return heldAtKill;
  }

  /** The main stream, each alert's later requests only after its first was answered; the kill at about 40%. */
  async function sendStream(traffic: Traffic): Promise<number> {
    const units = mainStream(intakeSecret, IDENTITIES);
    let done = 0;
    let kill: Promise<number> | undefined;
    await inParallel(units, SENDERS_IN_FLIGHT, async (unit) => {
      const firing = await traffic.send(unit.firing, unit.retry);
      if (++done === Math.round(units.length * 0.4)) kill = killMidDelivery(workers[VICTIM]!, traffic.sender);
      if (!allAnswered(firing)) return;
      if (unit.repeat) await traffic.send(unit.repeat);
      for (const resolved of unit.resolved) await traffic.send(resolved, 'after-answer');
    });
    return kill!;
  }

  it('dedupes, promotes once, delivers everything exactly once and holds the budget while a worker is killed', async () => {
    const startedAt = Date.now();
    for (let n = 1; n <= WORKERS; n++) spawnWorker(`worker-${n}`);
    const traffic = new Traffic(new Sender(await Promise.all(workers.map((worker) => worker.started()))));
    const heldAtKill = await sendStream(traffic);
    const flood = Array.from({ length: FLOOD }, (_, n) => signedAlerts(intakeSecret, 'flood', [1_000 + n]));
    await inParallel(flood, 8, (request) => traffic.send(request));

    await eventually(() => drained(store, TENANT), 90_000);
    const survivors = workers.filter((_, index) => index !== VICTIM);
    expect(await Promise.all(survivors.map((worker) => worker.stop()))).toEqual(survivors.map(() => 0));
    const seconds = (Date.now() - startedAt) / 1000;

    const facts = await readFacts(store, TENANT, startedAt);
    checkAnswers(traffic);
    await checkStoredOnce(store, TENANT, SOURCE_ID, traffic, facts);
    checkIncidents(traffic, facts);
    const reclaimed = await checkDeliveries(store, TENANT, receiver, facts);
    expect(reclaimed).toBeGreaterThanOrEqual(heldAtKill);
    checkBudget(traffic, facts, BUDGET);
    expect(workers[VICTIM]!.of('promoted').length + workers[VICTIM]!.of('result').length).toBeGreaterThan(0);
    console.info(summarise({ traffic, workers, receiver, facts, heldAtKill, reclaimed, seconds }));
  }, 240_000);
});

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
