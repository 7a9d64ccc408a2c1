import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type Store } from '../../../core/store';
import { PostgresCluster, postgresSupport } from '../../support/postgres-cluster';
import { AlertSourceStandIn } from './support/alert-source-stand-in';
import type { ClusterFacts } from './support/cluster-facts';
import { ClusterSender } from './support/cluster-sender';
import { clusterCredentials, clusterWorkflows, N8N_DESTINATIONS, N8N_PATHS } from './support/n8n-cluster-workflows';
import { N8nQueueCluster } from './support/n8n-queue-cluster';
import { OutageReceiver } from './support/outage-receiver';
import { findRedisServer, RedisServer } from './support/redis-server';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { describeStruck, FaultPlan, type Struck } from './support/fault-plan';
import type { N8nProcess } from './support/n8n-queue-cluster';
import { ALERT_SOURCE_ID, describeRun, drainedFacts, newSecrets, routesFor, scenarioChecks, sendScenario, TRAFFIC, type ScenarioRun } from './support/scenario';

/**
 * n8n 2.41.1 in queue mode, as its documentation scales it out: Redis for the job queue, PostgreSQL for n8n's
 * own database and for the intake store, one main (activates the workflows, runs the Delivery Worker Trigger),
 * one `n8n webhook` process and two `n8n worker`s, one encryption key. The example workflows (adapted to the
 * test's sources and loopback stand-ins) are imported and published. A round-robin proxy spreads production
 * webhooks over the webhook process and the main. The traffic and the checks are the Node-RED cluster's; the
 * faults, at random points: a worker and the webhook process SIGKILLed and started again, Redis stopped for a
 * few seconds, PostgreSQL (n8n's database and the store) restarted.
 */
const support = postgresSupport();
const N8N_DIR = process.env.E2E_N8N_DIR;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR;
const redisBinary = findRedisServer();
const routes = routesFor(N8N_DESTINATIONS);
const PORT = Number(process.env.SCALE_N8N_PORT ?? 5740);

describe.skipIf(!support.binaries)('scale-out: n8n in queue mode (Redis, a main, a webhook process, two workers) on one PostgreSQL', () => {
  const secrets = newSecrets();
  let cluster: PostgresCluster;
  let storeUrl: string;
  let store: Store;
  let redis: RedisServer;
  let receiver: OutageReceiver;
  let incidentIo: AlertSourceStandIn;
  let n8n: N8nQueueCluster;
  let proxy: RoundRobinProxy;
  let sender: ClusterSender;
  let facts: ClusterFacts;
  let run: ScenarioRun;
  let struck: Struck[];

  /** SIGKILL, then the same command again (same user folder, same port). */
  async function killAndRestart(victim: N8nProcess): Promise<void> {
    await victim.kill();
    victim.start();
    await victim.healthy();
  }

  beforeAll(async () => {
    if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:scale (E2E_N8N_DIR and E2E_PACKAGE_DIR are set there)');
    if (!redisBinary) throw new Error('redis-server not found (Debian package redis-server; .ci/run installs it)');
    cluster = await PostgresCluster.start(support.binaries!);
    storeUrl = await cluster.createDatabase();
    const n8nDatabase = new URL(await cluster.createDatabase());
    store = await openPostgresStore({ connectionString: storeUrl, poolSize: 2 });
    redis = await RedisServer.start(redisBinary);
    receiver = await OutageReceiver.start(secrets.receiver);
    incidentIo = await AlertSourceStandIn.start(secrets.alertSourceToken);
    n8n = await N8nQueueCluster.create(
      {
        n8nDir: N8N_DIR,
        packageDir: PACKAGE_DIR,
        database: { host: '127.0.0.1', port: Number(n8nDatabase.port), name: n8nDatabase.pathname.slice(1), user: 'postgres' },
        redis: { host: '127.0.0.1', port: redis.port },
        encryptionKey: randomBytes(24).toString('base64'),
      },
      PORT,
    );
    const settings = {
      storeUrl,
      outboxKey: randomBytes(32).toString('base64'),
      secrets,
      receiverUrl: receiver.url,
      receiverSecret: secrets.receiver,
      incidentIoUrl: incidentIo.url,
      alertSourceId: ALERT_SOURCE_ID,
      alertSourceToken: secrets.alertSourceToken,
      budget: TRAFFIC.budget,
    };
    await n8n.importWorkflows(clusterCredentials(settings), clusterWorkflows(settings));
    await n8n.start([N8N_PATHS.alertmanager, N8N_PATHS.jira, N8N_PATHS.pagerduty, N8N_PATHS.generic, N8N_PATHS.decision]);
    proxy = await RoundRobinProxy.start([n8n.webhook.url, n8n.main.url], { readinessPath: '/healthz/readiness' });
    sender = new ClusterSender(proxy.url);
  }, 300_000);

  afterAll(async () => {
    await sender?.close();
    await proxy?.close();
    await n8n?.stop();
    await Promise.allSettled([receiver?.close(), incidentIo?.close(), store?.close(), redis?.destroy()]);
    await cluster?.destroy();
  }, 120_000);

  it('takes a few thousand signed events from four providers and drains them', async () => {
    const worker = n8n.workers[Math.floor(Math.random() * n8n.workers.length)]!;
    const faults = new FaultPlan([
      { name: `SIGKILL ${worker.name}, start it again`, window: [0.1, 0.3], strike: () => killAndRestart(worker) },
      { name: 'SIGKILL the webhook process, start it again', window: [0.3, 0.5], strike: () => killAndRestart(n8n.webhook) },
      {
        name: 'stop Redis for 4 s',
        window: [0.5, 0.65],
        strike: async () => {
          await redis.halt();
          await new Promise((resolve) => setTimeout(resolve, 4_000));
          await redis.resume();
        },
      },
      {
        name: 'restart PostgreSQL',
        window: [0.7, 0.9],
        strike: async () => {
          await cluster.stopServer();
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          await cluster.startServer();
        },
      },
    ]);
    console.info(`faults: ${faults.describe()}`);
    run = await sendScenario({ sender, storeUrl, secrets, paths: N8N_PATHS, instances: 2, receiver, onProgress: (fraction) => faults.progress(fraction) });
    struck = await faults.settled();
    // Every process is still (or again) up: none of them gave up on Redis or PostgreSQL by itself.
    const down = n8n.all.filter((process) => !process.running).map((process) => process.name);
    const { drained, facts: read } = await drainedFacts(storeUrl, store, routes);
    facts = read;
    console.info(describeRun('n8n queue mode (main + webhook + 2 workers)', sender, run, facts, receiver, incidentIo, [describeStruck(struck), `forwarded webhook process / main: ${proxy.forwarded.join(' / ')}`, `drained after ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s`]));
    expect(facts.incidents.length).toBeGreaterThan(0);
    expect(struck.filter((fault) => fault.error)).toEqual([]);
    expect(down, n8n.logs()).toEqual([]);
    expect(drained, `not drained in 6 minutes\n${n8n.logs()}`).toBe(true);
  }, 600_000);

  scenarioChecks({
    sender: () => sender,
    facts: () => facts,
    run: () => run,
    receiver: () => receiver,
    incidentIo: () => incidentIo,
    routes,
    webhookDestination: N8N_DESTINATIONS.webhook,
    kills: () => n8n.all.reduce((sum, process) => sum + process.kills, 0),
  });
});
