import { migrate } from './migrations/migrate';
import type { Dialect, SqlClient, SqlDatabase } from './sql-client';
import { AuditRepository } from './repositories/audit-repository';
import { ConsoleRepository } from './repositories/console-repository';
import { CounterRepository } from './repositories/counter-repository';
import { DeliveryAttemptRepository } from './repositories/delivery-attempt-repository';
import { DeliveryRepository } from './repositories/delivery-repository';
import { DestinationRepository } from './repositories/destination-repository';
import { EventRepository } from './repositories/event-repository';
import { EvidenceRepository } from './repositories/evidence-repository';
import { IncidentRepository } from './repositories/incident-repository';
import { LifecycleEventRepository } from './repositories/lifecycle-event-repository';
import { IntakeRepository } from './repositories/intake-repository';
import { ReceiptRepository } from './repositories/receipt-repository';
import { RegulatoryReportRepository } from './repositories/regulatory-report-repository';
import { RemoteRefRepository } from './repositories/remote-ref-repository';
import { ReplayKeyRepository } from './repositories/replay-key-repository';
import { RateBucketRepository } from './repositories/rate-bucket-repository';
import { ScheduledJobRepository } from './repositories/scheduled-job-repository';
import { SourceRepository } from './repositories/source-repository';

/** Every table the core works with, bound to one transaction. */
export interface Repositories {
  sources: SourceRepository;
  receipts: ReceiptRepository;
  replayKeys: ReplayKeyRepository;
  events: EventRepository;
  incidents: IncidentRepository;
  evidence: EvidenceRepository;
  counters: CounterRepository;
  audit: AuditRepository;
  destinations: DestinationRepository;
  deliveries: DeliveryRepository;
  deliveryAttempts: DeliveryAttemptRepository;
  remoteRefs: RemoteRefRepository;
  regulatoryReports: RegulatoryReportRepository;
  console: ConsoleRepository;
  scheduledJobs: ScheduledJobRepository;
  rateBuckets: RateBucketRepository;
  lifecycleEvents: LifecycleEventRepository;
  /** The intake's first reads, batched. */
  intake: IntakeRepository;
}

/**
 * What the whole core stores through. Each unit of work runs in one transaction: it commits entirely or
 * not at all. Guarantees every implementation gives across processes: dedupe inserts are atomic
 * (unique constraints + ON CONFLICT), counters are atomic upserts, state transitions are guarded updates.
 */
export interface Store {
  readonly dialect: Dialect;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function repositoriesFor(client: SqlClient): Repositories {
  const tables = {
    sources: new SourceRepository(client),
    receipts: new ReceiptRepository(client),
    replayKeys: new ReplayKeyRepository(client),
    events: new EventRepository(client),
    incidents: new IncidentRepository(client),
    counters: new CounterRepository(client),
    audit: new AuditRepository(client),
  };
  return {
    ...tables,
    intake: new IntakeRepository(client, tables),
    evidence: new EvidenceRepository(client),
    destinations: new DestinationRepository(client),
    deliveries: new DeliveryRepository(client),
    deliveryAttempts: new DeliveryAttemptRepository(client),
    remoteRefs: new RemoteRefRepository(client),
    regulatoryReports: new RegulatoryReportRepository(client),
    console: new ConsoleRepository(client),
    scheduledJobs: new ScheduledJobRepository(client),
    rateBuckets: new RateBucketRepository(client),
    lifecycleEvents: new LifecycleEventRepository(client),
  };
}

/** Brings a freshly opened database's schema up to date and wraps it as a {@link Store}; closes it if that fails. */
export async function migratedStore(database: SqlDatabase): Promise<Store> {
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return storeOn(database);
}

/** Wraps a migrated database as a {@link Store}. */
export function storeOn(database: SqlDatabase): Store {
  return {
    dialect: database.dialect,
    transaction: (work) => database.transaction((client) => work(repositoriesFor(client))),
    close: () => database.close(),
  };
}
