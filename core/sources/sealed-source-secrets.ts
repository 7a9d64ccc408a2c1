import { systemClock, type Clock } from '../clock';
import { InvalidRequestError, NotFoundError } from '../errors';
import type { SourceConfig } from '../intake/source-config';
import { liveSecrets, type SecretEntry } from '../signing';
import type { Repositories, Store } from '../store/store';
import { MAX_GRACE_SECONDS, auditRotation, planRotation, type RotationPlan } from './secret-rotation';
import type { SourceSecretVault } from './source-secret-vault';

/**
 * Rotation for hosts whose credential holds one secret and that cannot write it back (n8n): the store keeps the
 * source's secrets sealed, so when the credential's secret is replaced, the replaced one stays live for the
 * grace period — the user edits one field, never two in the right order. The credential's secret is always the
 * current one; the sealed list only remembers what it replaced.
 */
export interface SealedRotationOptions {
  /** Who made the change; for a change noticed by a trigger, the host names the credential. */
  actor: string;
  /** How long a replaced secret stays live; 0 ends it at once. */
  graceSeconds: number;
  /** End the replaced secrets at once (a compromised key), whatever the grace. */
  revoke?: boolean;
}

export interface SealedSecrets {
  /** The live secrets to verify with, the credential's first. */
  secrets: SecretEntry[];
  /** Set when this call rotated to the credential's secret. */
  rotation?: RotationPlan;
  /** Why the credential's new secret was refused (the replaced secrets stay live), or why the sealed list was unusable. */
  problem?: string;
}

/**
 * Brings the sealed list in line with the source's credential: the first time, seals it; when the credential's
 * secret changed, rotates to it (audited, the replaced secret live for the grace); when the new secret is
 * malformed, refuses it (audited, recorded as the source's last error) and keeps the sealed secrets live.
 */
export async function reconcileSealedSecrets(store: Store, vault: SourceSecretVault, source: SourceConfig, options: SealedRotationOptions, clock: Clock = systemClock): Promise<SealedSecrets> {
  const now = clock.now();
  return store.transaction(async (r) => {
    // The source is registered (by its trigger) before: a node that only knows the credential must not reset its provider.
    if (!(await r.sources.get(source.tenant, source.id))) throw new NotFoundError('source', source.id);
    const { sealed, problem } = await openSealed(r, vault, source);
    const credential = source.auth.secrets;
    const current = credential[0];
    if (!current) return { secrets: credential };
    if (!sealed || sealed.length === 0) {
      await save(r, vault, source, credential, now);
      return { secrets: credential, ...(problem && { problem }) };
    }
    const live = liveSecrets(sealed, new Date(now));
    if (live[0]?.value === current.value) return keepInStep(r, vault, source, sealed, live, now);
    const replaced = live.filter((entry) => entry.value !== current.value);
    let plan: RotationPlan;
    try {
      plan = planRotation(source.auth.scheme, replaced, { actor: options.actor, newSecret: current.value, graceSeconds: options.graceSeconds, revoke: options.revoke }, now);
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      await refuse(r, source, options.actor, error.message, now);
      return { secrets: live, problem: error.message };
    }
    const secrets = withCredentialExtras(plan.secrets, credential);
    await auditRotation(r, source, plan, options.actor, now);
    await save(r, vault, source, secrets, now);
    return { secrets, rotation: plan };
  });
}

/**
 * The live sealed secrets while they still belong to the credential's current secret (an unchanged credential),
 * for a host re-reading them to pick up a revocation made elsewhere; undefined when the credential changed
 * (call {@link reconcileSealedSecrets}) or nothing is sealed.
 */
export async function readSealedSecrets(store: Store, vault: SourceSecretVault, source: SourceConfig, clock: Clock = systemClock): Promise<SecretEntry[] | undefined> {
  const now = clock.now();
  const { sealed } = await store.transaction((r) => openSealed(r, vault, source));
  const live = sealed && liveSecrets(sealed, new Date(now));
  const current = source.auth.secrets[0];
  if (!live || !current || live[0]?.value !== current.value) return undefined;
  return withCredentialExtras(live, source.auth.secrets);
}

/**
 * After the credential's secret is in the sealed list: ends the replaced secrets now (`revoke`) or sets their
 * end to `graceSeconds` from now. Audited. Returns the live secrets.
 */
export async function endSealedPrevious(store: Store, vault: SourceSecretVault, source: SourceConfig, options: SealedRotationOptions, clock: Clock = systemClock): Promise<EndedPrevious> {
  const ended = await endPrevious(store, vault, source, source.auth.secrets[0]?.value ?? '', options, clock);
  return { ...ended, secrets: withCredentialExtras(ended.secrets, source.auth.secrets) };
}

/**
 * The same for an operator who has the store and its key but not the host's credential (the CLI): the first
 * sealed secret is taken as the current one.
 */
export function endStoredPrevious(store: Store, vault: SourceSecretVault, source: { tenant: string; id: string }, options: SealedRotationOptions, clock: Clock = systemClock): Promise<EndedPrevious> {
  return endPrevious(store, vault, source, undefined, options, clock);
}

export interface EndedPrevious {
  secrets: SecretEntry[];
  previousValidUntil: number | null;
  /** How many replaced secrets were revoked or given the new end. */
  changed: number;
}

async function endPrevious(store: Store, vault: SourceSecretVault, source: { tenant: string; id: string }, expectedCurrent: string | undefined, options: SealedRotationOptions, clock: Clock): Promise<EndedPrevious> {
  if (!options.actor?.trim()) throw new InvalidRequestError('an actor is required');
  const now = clock.now();
  const graceSeconds = options.revoke ? 0 : options.graceSeconds;
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) throw new InvalidRequestError(`the grace period must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (30 days)`);
  return store.transaction(async (r) => {
    const record = await r.sources.get(source.tenant, source.id);
    if (!record) throw new NotFoundError('source', source.id);
    const { sealed, problem } = await openSealed(r, vault, source);
    if (problem) throw new InvalidRequestError(problem);
    const [current, ...previous] = liveSecrets(sealed ?? [], new Date(now));
    if (!current) throw new InvalidRequestError(`the store keeps no secrets for source ${source.id}`);
    if (expectedCurrent !== undefined && current.value !== expectedCurrent) throw new InvalidRequestError(`source ${source.id} has not rotated to the credential's secret yet; run the rotation first`);
    if (previous.length === 0) return { secrets: [current], previousValidUntil: null, changed: 0 };
    const until = graceSeconds === 0 ? null : now + graceSeconds * 1000;
    const secrets = until === null ? [current] : [current, ...previous.map(({ value }) => ({ value, expiresAt: until }))];
    const subject = { tenant: source.tenant, at: now, actor: options.actor.trim(), subjectType: 'source', subjectId: source.id } as const;
    if (until === null) await r.audit.append({ ...subject, action: 'source.secret_revoked', details: { revoked: previous.length, reason: 'revoked after rotation' } });
    else await r.audit.append({ ...subject, action: 'source.secret_grace_set', details: { secrets: previous.length, previousValidUntil: new Date(until).toISOString() } });
    await r.sources.recordRotation(source.tenant, source.id, record.secretRotatedAt ?? now, until);
    await save(r, vault, source, secrets, now);
    return { secrets, previousValidUntil: until, changed: previous.length };
  });
}

async function openSealed(r: Repositories, vault: SourceSecretVault, source: { tenant: string; id: string }): Promise<{ sealed?: SecretEntry[]; problem?: string }> {
  const box = await r.sources.getSealedSecrets(source.tenant, source.id);
  if (!box) return {};
  try {
    return { sealed: vault.unseal(source.tenant, source.id, box) };
  } catch (error) {
    // A box another key sealed (the key was replaced) or an altered one: start again from the credential.
    return { problem: `${(error as Error).message}; the replaced secrets were forgotten` };
  }
}

/** An unchanged credential: drops secrets whose grace has ended from the sealed list. */
async function keepInStep(r: Repositories, vault: SourceSecretVault, source: SourceConfig, sealed: SecretEntry[], live: SecretEntry[], now: number): Promise<SealedSecrets> {
  if (live.length !== sealed.length) await save(r, vault, source, live, now);
  return { secrets: withCredentialExtras(live, source.auth.secrets) };
}

/** A previous secret still typed into the credential by hand (the older two-field way) stays live as well. */
function withCredentialExtras(secrets: SecretEntry[], credential: readonly SecretEntry[]): SecretEntry[] {
  const extras = credential.slice(1).filter((entry) => !secrets.some((known) => known.value === entry.value));
  return [...secrets, ...extras];
}

async function save(r: Repositories, vault: SourceSecretVault, source: { tenant: string; id: string }, secrets: readonly SecretEntry[], now: number): Promise<void> {
  await r.sources.saveSealedSecrets(source.tenant, source.id, vault.seal(source.tenant, source.id, secrets.slice(0, 1).concat(secrets.slice(1).filter((entry) => entry.expiresAt !== undefined))), now);
}

async function refuse(r: Repositories, source: SourceConfig, actor: string, reason: string, now: number): Promise<void> {
  await r.sources.recordError(source.tenant, source.id, `rotation refused: ${reason}`, now);
  await r.audit.append({ tenant: source.tenant, at: now, actor, action: 'source.secret_rotation_refused', subjectType: 'source', subjectId: source.id, details: { reason } });
}
