import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type Store } from '../../../core/store';
import { PostgresCluster, postgresSupport } from '../../support/postgres-cluster';
import { AlertSourceStandIn } from './support/alert-source-stand-in';
import type { ClusterFacts } from './support/cluster-facts';
import { ClusterSender } from './support/cluster-sender';
import { NodeRedCluster } from './support/node-red-cluster';
import { clusterFlow, NODE_RED_DESTINATIONS } from './support/node-red-cluster-flow';
import { OutageReceiver } from './support/outage-receiver';
import { SOURCES } from './support/provider-traffic';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { describeStruck, FaultPlan, type Struck } from './support/fault-plan';
import { ALERT_SOURCE_ID, describeRun, drainedFacts, newSecrets, routesFor, scenarioChecks, sendScenario, TRAFFIC, type ScenarioRun } from './support/scenario';

/**
 * Three real Node-RED runtimes, each with its own user directory and the same flow, share one PostgreSQL store
 * behind a round-robin proxy. Four providers' signed traffic (Alertmanager groups under review, Jira and
 * PagerDuty creating incidents, a generic sender over its tenant's budget) arrives with transport retries and
 * duplicates aimed at two instances at once; every pending event is approved through two instances at once;
 * the webhook receiver fails for a while; incident.io's alert source takes Jira and PagerDuty incidents from
 * two nodes. At random points one instance is SIGKILLed and started again, and PostgreSQL is restarted.
 * Everything is then checked against the database and the receivers.
 */
const support = postgresSupport();
const INSTANCES = 3;
const routes = routesFor(NODE_RED_DESTINATIONS);

describe.skipIf(!support.binaries)('scale-out: three Node-RED runtimes behind a load balancer on one PostgreSQL store', () => {
  const secrets = newSecrets();
  let cluster: PostgresCluster;
  let storeUrl: string;
  let store: Store;
  let receiver: OutageReceiver;
  let incidentIo: AlertSourceStandIn;
  let nodeRed: NodeRedCluster;
  let proxy: RoundRobinProxy;
  let sender: ClusterSender;
  let facts: ClusterFacts;
  let run: ScenarioRun;
  let struck: Struck[];

  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    storeUrl = await cluster.createDatabase();
    // Migrated once here, so the instances start on a ready schema (they would also race to it safely).
    store = await openPostgresStore({ connectionString: storeUrl, poolSize: 2 });
    receiver = await OutageReceiver.start(secrets.receiver);
    incidentIo = await AlertSourceStandIn.start(secrets.alertSourceToken);
    nodeRed = new NodeRedCluster({ INCIDENT_INTAKE_OUTBOUND_ALLOW: '127.0.0.1' });
    const flow = clusterFlow({ storeUrl, secrets, receiverUrl: receiver.url, receiverSecret: secrets.receiver, incidentIoUrl: incidentIo.url, alertSourceId: ALERT_SOURCE_ID, alertSourceToken: secrets.alertSourceToken, budget: TRAFFIC.budget });
    proxy = await RoundRobinProxy.start(await nodeRed.start(INSTANCES, flow));
    sender = new ClusterSender(proxy.url);
  }, 240_000);

  afterAll(async () => {
    await sender?.close();
    await proxy?.close();
    await nodeRed?.stop();
    await Promise.allSettled([receiver?.close(), incidentIo?.close(), store?.close()]);
    await cluster?.destroy();
  }, 120_000);

  it('takes a few thousand signed events from four providers and drains them', async () => {
    const path = (id: string) => `/intake/${id}`;
    const paths = { alertmanager: path(SOURCES.alertmanager.id), jira: path(SOURCES.jira.id), pagerduty: path(SOURCES.pagerduty.id), generic: path(SOURCES.generic.id), decision: '/approve' };
    const victim = Math.floor(Math.random() * INSTANCES);
    const faults = new FaultPlan([
      {
        name: `SIGKILL Node-RED ${victim}, start it again`,
        window: [0.15, 0.45],
        strike: async () => {
          await nodeRed.kill(victim);
          proxy.replace(victim, await nodeRed.restart(victim));
        },
      },
      {
        name: 'restart PostgreSQL',
        window: [0.55, 0.85],
        strike: async () => {
          await cluster.stopServer();
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          await cluster.startServer();
        },
      },
    ]);
    console.info(`faults: ${faults.describe()}`);
    run = await sendScenario({ sender, storeUrl, secrets, paths, instances: INSTANCES, receiver, onProgress: (fraction) => faults.progress(fraction) });
    struck = await faults.settled();
    const { drained, facts: read } = await drainedFacts(storeUrl, store, routes);
    facts = read;
    console.info(describeRun(`Node-RED ×${INSTANCES}`, sender, run, facts, receiver, incidentIo, [describeStruck(struck), `forwarded per instance: ${proxy.forwarded.join(' / ')}`, `drained after ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s`]));
    expect(facts.incidents.length).toBeGreaterThan(0);
    expect(struck.filter((fault) => fault.error)).toEqual([]);
    expect(drained, `not drained in 6 minutes\n${nodeRed.logs()}`).toBe(true);
  }, 600_000);

  scenarioChecks({
    sender: () => sender,
    facts: () => facts,
    run: () => run,
    receiver: () => receiver,
    incidentIo: () => incidentIo,
    routes,
    webhookDestination: NODE_RED_DESTINATIONS.webhook,
    kills: () => nodeRed.kills,
  });
});
