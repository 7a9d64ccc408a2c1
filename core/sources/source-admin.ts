import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors';
import type { SourceConfig } from '../intake/source-config';
import { dayWindow, hourWindow } from '../limits/windows';
import type { EventRecord, SourceRecord } from '../store/records';
import type { Store } from '../store/store';
import { disableSource } from './disable-source';
import { closeEndedGrace } from './secret-rotation';

const DAY_MS = 86_400_000;

/** Registers a source in the store (idempotent) so its state, health and audit exist before the first event. */
export async function registerSource(store: Store, source: SourceConfig, clock: Clock = systemClock): Promise<SourceRecord> {
  const now = clock.now();
  return store.transaction(async (r) => {
    const existed = await r.sources.get(source.tenant, source.id);
    const record = await r.sources.ensure(source.tenant, source.id, source.provider, source.name ?? source.id, now);
    if (!existed) {
      await r.audit.append({ tenant: source.tenant, at: now, actor: 'system', action: 'source.created', subjectType: 'source', subjectId: source.id, details: { provider: source.provider, scheme: source.auth.scheme, mode: source.mode } });
    }
    return record;
  });
}

async function loadSource(store: Store, tenant: string, sourceId: string): Promise<SourceRecord> {
  const record = await store.transaction((r) => r.sources.get(tenant, sourceId));
  if (!record) throw new NotFoundError('source', sourceId);
  return record;
}

export async function disableSourceManually(store: Store, tenant: string, sourceId: string, reason: string, actor: string, clock: Clock = systemClock): Promise<SourceRecord> {
  if (!actor?.trim() || !reason?.trim()) throw new InvalidRequestError('an actor and a reason are required to disable a source');
  await loadSource(store, tenant, sourceId);
  await store.transaction((r) => disableSource(r, tenant, sourceId, reason.trim(), actor.trim(), clock.now()));
  return loadSource(store, tenant, sourceId);
}

/**
 * Re-enables a disabled source, but only once a clean test event (valid signature, mapped without
 * quarantine) has arrived since it was disabled — so a source is not switched back on while still broken.
 * `force` skips that check and is audited as such.
 */
export async function enableSource(store: Store, tenant: string, sourceId: string, actor: string, options: { force?: boolean } = {}, clock: Clock = systemClock): Promise<SourceRecord> {
  if (!actor?.trim()) throw new InvalidRequestError('an actor is required to enable a source');
  const now = clock.now();
  return store.transaction(async (r) => {
    const source = await r.sources.get(tenant, sourceId);
    if (!source) throw new NotFoundError('source', sourceId);
    if (source.enabled) return source;
    const cleanTestSince = source.testPassedAt !== null && source.disabledAt !== null && source.testPassedAt >= source.disabledAt;
    if (!cleanTestSince && !options.force) {
      throw new ConflictError(`source ${sourceId} needs a clean test event before it is re-enabled (send one with the X-Incident-Intake-Test header, e.g. incident-intake send --test)`);
    }
    await r.sources.enable(tenant, sourceId, now);
    await r.audit.append({ tenant, at: now, actor: actor.trim(), action: 'source.enabled', subjectType: 'source', subjectId: sourceId, details: { previousReason: source.disabledReason, forced: !cleanTestSince } });
    return (await r.sources.get(tenant, sourceId))!;
  });
}

/** Which secret the sender uses, by name (never a value): how an operator sees that a rotation has been taken up. */
export interface SecretUse {
  /** The secret the last accepted request was signed with: `current`, `previous`, … (null: none yet). */
  lastUsed: string | null;
  lastUsedAt: string | null;
  rotatedAt: string | null;
  /** When the secrets replaced by the last rotation stop being accepted (null: no grace running). */
  previousValidUntil: string | null;
  /** After a rotation: whether a request signed with the current secret has arrived since (null: never rotated). */
  senderSwitched: boolean | null;
}

export interface SourceHealth {
  source: SourceRecord;
  secrets: SecretUse;
  /** Events per state over the last 24 hours. */
  last24h: Record<string, number>;
  requestsThisHour: number;
  tenantRequestsToday: number;
}

export async function sourceHealth(store: Store, tenant: string, sourceId: string, clock: Clock = systemClock): Promise<SourceHealth> {
  const now = clock.now();
  return store.transaction(async (r) => {
    const found = await r.sources.get(tenant, sourceId);
    if (!found) throw new NotFoundError('source', sourceId);
    await closeEndedGrace(r, found, now);
    const source = (await r.sources.get(tenant, sourceId))!;
    return {
      source,
      secrets: secretUse(source),
      last24h: await r.events.countByState(tenant, { sourceId, since: now - DAY_MS }),
      requestsThisHour: await r.counters.read(tenant, `source-hour:${sourceId}`, hourWindow(now)),
      tenantRequestsToday: await r.counters.read(tenant, 'tenant-day', dayWindow(now)),
    };
  });
}

export function listQuarantined(store: Store, tenant: string, sourceId: string, limit = 50): Promise<EventRecord[]> {
  return store.transaction((r) => r.events.list(tenant, { state: 'quarantined', sourceId, limit }));
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

function secretUse(source: SourceRecord): SecretUse {
  const { lastSecretLabel, lastSecretAt, secretRotatedAt } = source;
  const switched = secretRotatedAt === null ? null : lastSecretLabel === 'current' && lastSecretAt !== null && lastSecretAt >= secretRotatedAt;
  return { lastUsed: lastSecretLabel, lastUsedAt: iso(lastSecretAt), rotatedAt: iso(secretRotatedAt), previousValidUntil: iso(source.secretGraceEndsAt), senderSwitched: switched };
}
