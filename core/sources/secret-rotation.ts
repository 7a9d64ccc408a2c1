import { systemClock, type Clock } from '../clock';
import { InvalidRequestError, NotFoundError } from '../errors';
import type { SourceConfig } from '../intake/source-config';
import { generateSecret, liveSecrets, newSecretProblem, rotateSecrets, type SchemeName, type SecretEntry } from '../signing';
import type { SourceRecord } from '../store/records';
import type { Repositories, Store } from '../store/store';

/** The longest grace a rotation may give the replaced secret. */
export const MAX_GRACE_SECONDS = 30 * 86_400;

export interface RotationRequest {
  /** Who rotates; kept in the audit trail. */
  actor: string;
  /** The new secret (e.g. one the sender generated); generated in the scheme's format when absent. */
  newSecret?: string;
  /** How long the replaced secrets stay live (0 to {@link MAX_GRACE_SECONDS}); ignored when `revoke` is set. */
  graceSeconds?: number;
  /** End the replaced secrets at once, e.g. for a compromised key. */
  revoke?: boolean;
}

export interface RotationPlan {
  /** The new secret: the host saves it as the source's secret and shows it once when it was generated. */
  secret: string;
  generated: boolean;
  /** The source's secrets after the rotation, the new one first. */
  secrets: SecretEntry[];
  /** When the replaced secrets stop being accepted; null when they stopped at once (revoked, or grace 0). */
  previousValidUntil: number | null;
  /** How many live secrets were replaced. */
  replaced: number;
  revoked: boolean;
}

export interface Rotation extends RotationPlan {
  rotatedAt: number;
}

/**
 * Works out a rotation without touching anything: refuses a malformed new secret or grace (InvalidRequestError,
 * never quoting a secret), so that on refusal the current secrets stay exactly as they are.
 */
export function planRotation(scheme: SchemeName, current: readonly SecretEntry[], request: RotationRequest, now: number): RotationPlan {
  if (!request.actor?.trim()) throw new InvalidRequestError('an actor is required to rotate a secret');
  if (scheme === 'none') throw new InvalidRequestError('scheme none has no secret to rotate');
  const graceSeconds = request.revoke ? 0 : (request.graceSeconds ?? 0);
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
    throw new InvalidRequestError(`the grace period must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (30 days)`);
  }
  const generated = request.newSecret === undefined;
  const secret = generated ? generateSecret(scheme) : request.newSecret!;
  const problem = newSecretProblem(scheme, secret);
  if (problem) throw new InvalidRequestError(`the new secret was refused, the current secret stays live: ${problem}`);
  const live = liveSecrets([...current], new Date(now));
  if (live.some((entry) => entry.value === secret)) throw new InvalidRequestError('the new secret is one of the live secrets already; use a new one');
  const secrets = rotateSecrets(live, secret, { graceSeconds, now: new Date(now) });
  const ends = secrets.slice(1).map((entry) => entry.expiresAt ?? now);
  return {
    secret,
    generated,
    secrets,
    previousValidUntil: ends.length === 0 ? null : Math.max(...ends),
    replaced: live.length,
    revoked: graceSeconds === 0 && live.length > 0,
  };
}

/**
 * The one rotation operation hosts call: plans it (see {@link planRotation}), then audits it — the rotation,
 * and the replaced secrets' end at once when they are revoked — and records on the source when their grace
 * ends, so that end is audited too. Returns the new secrets for the host to keep; nothing secret is stored.
 */
export async function rotateSourceSecret(store: Store, source: SourceConfig, request: RotationRequest, clock: Clock = systemClock): Promise<Rotation> {
  const now = clock.now();
  const plan = planRotation(source.auth.scheme, source.auth.secrets, request, now);
  await store.transaction(async (r) => {
    await r.sources.ensure(source.tenant, source.id, source.provider, source.name ?? source.id, now);
    await auditRotation(r, source, plan, request.actor.trim(), now);
  });
  return { ...plan, rotatedAt: now };
}

/** Writes the audit entries and the grace end of a planned rotation, inside the caller's transaction. */
export async function auditRotation(r: Repositories, source: Pick<SourceConfig, 'tenant' | 'id' | 'auth'>, plan: RotationPlan, actor: string, now: number): Promise<void> {
  const subject = { tenant: source.tenant, subjectType: 'source', subjectId: source.id, actor, at: now } as const;
  const validUntil = plan.previousValidUntil === null ? null : new Date(plan.previousValidUntil).toISOString();
  await r.audit.append({ ...subject, action: 'source.secret_rotated', details: { scheme: source.auth.scheme, generated: plan.generated, replaced: plan.replaced, previousValidUntil: validUntil } });
  if (plan.revoked) await r.audit.append({ ...subject, action: 'source.secret_revoked', details: { revoked: plan.replaced, reason: 'revoked at rotation' } });
  await r.sources.recordRotation(source.tenant, source.id, now, plan.previousValidUntil);
}

/**
 * Ends the grace period of every secret but the current one now (the previous secret was compromised, or the
 * sender has switched). Audited; a no-op (nothing audited) when only the current secret is live.
 */
export async function revokePreviousSecrets(store: Store, source: SourceConfig, actor: string, clock: Clock = systemClock): Promise<{ secrets: SecretEntry[]; revoked: number }> {
  if (!actor?.trim()) throw new InvalidRequestError('an actor is required to revoke a secret');
  const now = clock.now();
  const [current, ...previous] = liveSecrets(source.auth.secrets, new Date(now));
  if (!current) throw new InvalidRequestError(`source ${source.id} has no live secret`);
  if (previous.length === 0) return { secrets: [current], revoked: 0 };
  await store.transaction(async (r) => {
    const record = await r.sources.get(source.tenant, source.id);
    if (!record) throw new NotFoundError('source', source.id);
    await r.audit.append({ tenant: source.tenant, at: now, actor: actor.trim(), action: 'source.secret_revoked', subjectType: 'source', subjectId: source.id, details: { revoked: previous.length, reason: 'revoked after rotation' } });
    await r.sources.recordRotation(source.tenant, source.id, record.secretRotatedAt ?? now, null);
  });
  return { secrets: [current], revoked: previous.length };
}

/**
 * Audits the end of a rotation's grace period once it has passed: called where the source row is read anyway
 * (each accepted request, source health), so the end is recorded by the first of those after it, whichever
 * process that is. Guarded, so it is audited once.
 */
export async function closeEndedGrace(r: Repositories, record: SourceRecord, now: number): Promise<void> {
  const endsAt = record.secretGraceEndsAt;
  if (endsAt === null || endsAt > now) return;
  if (!(await r.sources.closeGrace(record.tenant, record.id, endsAt))) return;
  await r.audit.append({ tenant: record.tenant, at: now, actor: 'system', action: 'source.secret_expired', subjectType: 'source', subjectId: record.id, details: { graceEndedAt: new Date(endsAt).toISOString() } });
}

/** How stale the recorded time of use may get while the same secret keeps being used (one write a minute at most). */
const SECRET_USE_REFRESH_MS = 60_000;

/**
 * Records on the source which secret an accepted request was signed with — on a change of secret, after a
 * rotation, or when the recorded time is a minute old, so a busy source does not rewrite its row on every
 * request — and audits a grace period that has ended. Runs inside the intake's admission transaction.
 */
export async function noteAcceptedSecret(r: Repositories, record: SourceRecord, label: string | undefined, now: number): Promise<void> {
  await closeEndedGrace(r, record, now);
  if (label === undefined) return;
  const { lastSecretLabel, lastSecretAt, secretRotatedAt } = record;
  const stale = lastSecretAt === null || now - lastSecretAt >= SECRET_USE_REFRESH_MS || (secretRotatedAt !== null && lastSecretAt < secretRotatedAt);
  if (lastSecretLabel !== label || stale) await r.sources.noteSecretUsed(record.tenant, record.id, label, now);
}
