import type { EventRecord, IncidentRecord, ReceiptRecord, SourceRecord } from '../records';
import type { SqlClient, SqlRead } from '../sql-client';
import type { AuditRepository } from './audit-repository';
import type { CounterRepository } from './counter-repository';
import type { EventRepository } from './event-repository';
import type { IncidentRepository } from './incident-repository';
import type { ReceiptRepository } from './receipt-repository';
import type { ReplayKeyMatch, ReplayKeyRepository } from './replay-key-repository';
import type { SourceRepository } from './source-repository';

export interface CounterKey {
  name: string;
  windowStart: number;
}

/** Everything an intake request's admission looks up before it decides. */
export interface IntakeLookup {
  tenant: string;
  sourceId: string;
  /** The receipt's replay key, and every key the request is remembered under. */
  replayKey: string;
  replayKeys: readonly string[];
  counters: readonly CounterKey[];
  /** The incident identities of the request's candidates, in the order their locks are taken. */
  dedupeKeys: readonly string[];
}

/** What the admission's first reads found, each as of its own read after the locks. */
export interface IntakeState {
  remembered: ReplayKeyMatch | undefined;
  receipt: ReceiptRecord | undefined;
  source: SourceRecord | undefined;
  /** One count per {@link IntakeLookup.counters}, in order. */
  counts: number[];
  incidents: Map<string, IncidentRecord | undefined>;
  pending: Map<string, EventRecord | undefined>;
}

interface IntakeTables {
  receipts: ReceiptRepository;
  replayKeys: ReplayKeyRepository;
  sources: SourceRepository;
  counters: CounterRepository;
  incidents: IncidentRepository;
  events: EventRepository;
  audit: AuditRepository;
}

/**
 * The intake's first reads in one batch (on PostgreSQL one round trip, BEGIN and the locks included): the
 * identity locks of the request's incidents and the tenant's audit lock, then the replay keys before the
 * receipt (both commit together, so a twin committed between the two reads still shows its receipt), the
 * source, the budget counters, each identity's incident and pending event, and the audit chain's tail.
 */
export class IntakeRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly tables: IntakeTables,
  ) {}

  async read(lookup: IntakeLookup): Promise<IntakeState> {
    const { tenant, sourceId } = lookup;
    const { receipts, replayKeys, sources, counters, incidents, events, audit } = this.tables;
    for (const dedupeKey of lookup.dedupeKeys) await incidents.lockIdentity(tenant, dedupeKey);
    const tail = await audit.lockTailRead(tenant);
    const reads: SqlRead<unknown>[] = [
      ...(lookup.replayKeys.length > 0 ? [replayKeys.findRead(tenant, sourceId, lookup.replayKeys)] : []),
      receipts.findByReplayKeyRead(tenant, sourceId, lookup.replayKey),
      sources.getRead(tenant, sourceId),
      ...lookup.counters.map(({ name, windowStart }) => counters.readRead(tenant, name, windowStart)),
      ...lookup.dedupeKeys.map((key) => incidents.getByDedupeKeyRead(tenant, key)),
      ...lookup.dedupeKeys.map((key) => events.findPendingByDedupeKeyRead(tenant, key)),
      tail,
    ];
    const values = (await this.sql.batch(reads as readonly SqlRead<unknown>[] as never)) as unknown[];
    let at = 0;
    const next = <T>() => values[at++] as T;
    const remembered = lookup.replayKeys.length > 0 ? next<ReplayKeyMatch | undefined>() : undefined;
    const receipt = next<ReceiptRecord | undefined>();
    const source = next<SourceRecord | undefined>();
    const counts = lookup.counters.map(() => next<number>());
    const found = new Map(lookup.dedupeKeys.map((key) => [key, next<IncidentRecord | undefined>()]));
    const pending = new Map(lookup.dedupeKeys.map((key) => [key, next<EventRecord | undefined>()]));
    return { remembered, receipt, source, counts, incidents: found, pending };
  }
}
