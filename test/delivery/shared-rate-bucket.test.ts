import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker, enqueueDelivery, type DeliveryResult, type DestinationConfigInput } from '../../core/delivery';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';
import { FakeClock } from './support/fake-clock';
import { START } from './support/harness';
import { IncidentIoStandIn } from './support/incident-io-stand-in';
import { incidentRecord } from './support/incidents';

const SOURCE_ID = '01HZALERTSOURCE000000000000';
const OTHER_SOURCE_ID = '01HZALERTSOURCE000000000001';
const TOKENS = { [SOURCE_ID]: 'alert-source-token-9876', [OTHER_SOURCE_ID]: 'alert-source-token-5432' };
const PER_DESTINATION = 150;

function alertDestination(baseUrl: string, tenant: string, id: string, sourceId: string, policy: Record<string, unknown> = {}): DestinationConfigInput {
  return { kind: 'incident-io', target: 'alert_event', tenant, id, baseUrl, alertSourceConfigId: sourceId, alertSourceToken: TOKENS[sourceId as keyof typeof TOKENS], policy } as DestinationConfigInput;
}

/**
 * Two destinations (of two tenants) send into one alert source, each served by two workers on two store handles
 * (two processes' worth of connections); a third destination has an alert source of its own. incident.io's
 * stand-in refuses more than 120 events per minute per alert source, in the test's time.
 */
async function sendThroughTwoHandles(open: () => Promise<Store>, policy: (id: string) => Record<string, unknown> = () => ({})) {
  const clock = new FakeClock(START);
  const standIn = await IncidentIoStandIn.start({ apiKey: 'unused-api-key', alertSources: TOKENS, alertEventsPerMinute: 120, now: () => clock.now() });
  const destinations = [
    alertDestination(standIn.url, 'acme', 'acme-alerts', SOURCE_ID, policy('acme-alerts')),
    alertDestination(standIn.url, 'globex', 'globex-alerts', SOURCE_ID, policy('globex-alerts')),
    alertDestination(standIn.url, 'acme', 'acme-other-source', OTHER_SOURCE_ID),
  ];
  const stores = [await open(), await open()];
  const results: DeliveryResult[] = [];
  const workers = stores.map(
    (store, index) => new DeliveryWorker({ store, destinations, workerId: `w${index}`, clock, timers: clock, random: () => 0.5, concurrency: 8, onResult: (result) => void results.push(result) }),
  );
  try {
    for (const destination of destinations) {
      const count = destination.id === 'acme-other-source' ? 60 : PER_DESTINATION;
      for (let n = 0; n < count; n++) {
        await enqueueDelivery(stores[n % 2]!, { destination, incident: incidentRecord({ id: `inc_${destination.id}_${n}`, tenant: destination.tenant }, { dedupeKey: `jira:acme.atlassian.net:${destination.id}-${n}` }) }, { clock });
      }
    }
    const expected = 2 * PER_DESTINATION + 60;
    for (let second = 0; second < 600 && results.filter((result) => result.status === 'delivered').length < expected; second++) {
      await Promise.all(workers.map((worker) => worker.runUntilIdle()));
      clock.advance(1_000);
    }
    return {
      delivered: results.filter((result) => result.status === 'delivered').length,
      refused: standIn.rateLimited,
      busiestMinute: standIn.busiestMinute(SOURCE_ID),
      otherSourceBusiestMinute: standIn.busiestMinute(OTHER_SOURCE_ID),
      byDestination: Object.fromEntries(destinations.map((destination) => [destination.id, results.filter((result) => result.destinationId === destination.id && result.status === 'delivered').length])),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(stores.map((store) => store.close()));
    await standIn.close();
  }
}

function describeSharedBucket(engine: string, open: () => () => Promise<Store>) {
  it(`${engine}: destinations on one incident.io alert source and every store handle share one bucket, under 120/min`, async () => {
    const outcome = await sendThroughTwoHandles(open());
    expect(outcome.refused).toBe(0);
    expect(outcome.byDestination).toEqual({ 'acme-alerts': PER_DESTINATION, 'globex-alerts': PER_DESTINATION, 'acme-other-source': 60 });
    expect(outcome.busiestMinute).toBeLessThanOrEqual(120);
    // The shared bucket still runs at its pace, and the other alert source's bucket is its own.
    expect(outcome.busiestMinute).toBeGreaterThan(100);
    expect(outcome.otherSourceBusiestMinute).toBe(60);
  });

  it(`${engine}: a bucket per destination (two named buckets) lets the alert source see more than 120/min and be refused`, async () => {
    const outcome = await sendThroughTwoHandles(open(), (id) => ({ rateLimit: { perMinute: 110, burst: 10, bucket: id } }));
    expect(outcome.busiestMinute).toBe(120);
    expect(outcome.refused).toBeGreaterThan(0);
  });
}

describe('one rate bucket per incident.io alert source', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'shared-bucket-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  let files = 0;
  describeSharedBucket('SQLite', () => {
    const path = join(directory, `store-${files++}.sqlite`);
    return () => openSqliteStore(path);
  });
});

const support = postgresSupport();

describe.skipIf(!support.binaries)('one rate bucket per incident.io alert source on PostgreSQL', () => {
  let cluster: PostgresCluster;
  const schemas: string[] = [];
  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
    for (let n = 0; n < 2; n++) schemas.push(await cluster.createSchema());
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  let used = 0;
  describeSharedBucket('PostgreSQL', () => {
    const url = schemas[used++]!;
    return () => openPostgresStore({ connectionString: url, poolSize: 4 });
  });
});
