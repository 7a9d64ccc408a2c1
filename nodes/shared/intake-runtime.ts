import { createHash } from 'node:crypto';
import type { DeliveryTarget } from '../../core/delivery/delivery-target';
import { defineSource, type SourceDefinition, type SourceDefinitionInput } from '../../core/intake/define-source';
import type { SecretEntry } from '../../core/signing';
import { createNormaliser, type ClosableNormaliser } from '../../core/mapping/create-normaliser';
import { readSealedSecrets, reconcileSealedSecrets } from '../../core/sources/sealed-source-secrets';
import { registerSource } from '../../core/sources/source-admin';
import { SourceSecretVault } from '../../core/sources/source-secret-vault';
import { acquireStore, type StoreLease } from './store-cache';

/** What one trigger node needs per request, built once per configuration and kept while the node is live. */
export interface IntakeRuntime {
  definition: SourceDefinition;
  normaliser: ClosableNormaliser;
  location: string;
  /** Destinations enqueued in the intake transaction (the delivery nodes wired after the trigger). */
  deliverTo: DeliveryTarget[];
}

export interface RuntimeInput {
  /** Workflow, node and webhook kind (test or production): one runtime each. */
  key: string;
  definitionInput: SourceDefinitionInput;
  location: string;
  deliverTo: DeliveryTarget[];
  /** With the store credential's encryption key(s): the store keeps the secrets a credential edit replaced. */
  rotation?: { keys: string[]; graceSeconds: number };
}

/** Names the change in the audit trail when the trigger notices the credential's secret was replaced. */
export const CREDENTIAL_ROTATION_ACTOR = 'n8n: source auth credential changed';

/**
 * How a node's runtime is looked up on every request. `probe` is cheap to compute (the node's stored
 * parameters and credential references, nothing resolved or decrypted); `read` resolves the parameters and
 * credentials, and is only called when the probe changed, when no runtime exists yet, or when the last full
 * read is older than {@link RECHECK_MS} (a credential edited in n8n changes nothing in the workflow).
 */
export interface RuntimeRequest {
  key: string;
  probe: string;
  read(): Promise<RuntimeInput>;
}

/** How long a runtime is trusted without reading its node's parameters and credentials again. */
export const RECHECK_MS = 5_000;

interface Entry extends IntakeRuntime {
  fingerprint: string;
  probe: string;
  checkedAt: number;
  /** Keeps the store open (and migrated) for as long as the runtime lives. */
  lease: StoreLease;
  vault?: SourceSecretVault;
  /** The secrets as the credential gives them, before the sealed replaced ones are added. */
  credentialSecrets: SecretEntry[];
}

const entries = new Map<string, Entry>();
/** One build or check at a time per key, so concurrent first requests share one store open. */
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

function fingerprintOf(input: RuntimeInput): string {
  return createHash('sha256').update(JSON.stringify([input.definitionInput, input.location, input.deliverTo, input.rotation?.keys ?? []])).digest('hex');
}

/** Validates the source, opens its store (migrating it) and registers the source, so health exists before the first event. */
async function build(input: RuntimeInput, fingerprint: string, probe: string): Promise<Entry> {
  const definition = defineSource(input.definitionInput);
  const lease = await acquireStore(input.location);
  const normaliser = createNormaliser(definition.mapping);
  let vault: SourceSecretVault | undefined;
  const credentialSecrets = definition.source.auth.secrets;
  try {
    await registerSource(lease.store, definition.source);
    if (input.rotation) {
      vault = new SourceSecretVault(input.rotation.keys);
      const sealed = await reconcileSealedSecrets(lease.store, vault, definition.source, { actor: CREDENTIAL_ROTATION_ACTOR, graceSeconds: input.rotation.graceSeconds });
      definition.source.auth.secrets = sealed.secrets;
    }
  } catch (error) {
    await normaliser.close();
    await lease.release();
    throw error;
  }
  return { definition, normaliser, location: input.location, deliverTo: input.deliverTo, fingerprint, probe, checkedAt: Date.now(), lease, vault, credentialSecrets };
}

/**
 * An unchanged credential: the sealed secrets may still have changed (revoked, or a new grace, by the
 * Incident Intake node's Rotate Secret in another execution), so they are read again with each recheck.
 */
async function followSealedSecrets(entry: Entry): Promise<void> {
  if (!entry.vault) return;
  const credentialOnly = { ...entry.definition.source, auth: { ...entry.definition.source.auth, secrets: entry.credentialSecrets } };
  const live = await readSealedSecrets(entry.lease.store, entry.vault, credentialOnly);
  if (live) entry.definition.source.auth.secrets = live;
}

async function retire(entry: Entry): Promise<void> {
  await entry.normaliser.close();
  await entry.lease.release();
}

/** Same stored parameters, and the credentials were read less than {@link RECHECK_MS} ago. */
function isFresh(entry: Entry | undefined, probe: string): entry is Entry {
  return entry !== undefined && entry.probe === probe && Date.now() - entry.checkedAt < RECHECK_MS;
}

async function refresh(request: RuntimeRequest, force: boolean): Promise<Entry> {
  return serialised(request.key, async () => {
    const current = entries.get(request.key);
    if (!force && isFresh(current, request.probe)) return current;
    const input = await request.read();
    const fingerprint = fingerprintOf(input);
    if (current?.fingerprint === fingerprint) {
      await followSealedSecrets(current);
      current.probe = request.probe;
      current.checkedAt = Date.now();
      return current;
    }
    const entry = await build(input, fingerprint, request.probe);
    entries.set(request.key, entry);
    // Requests still running on the old runtime hold their own store lease, so releasing this one is safe.
    if (current) await retire(current);
    return entry;
  });
}

/**
 * The runtime for a node, built on its first request when n8n did not call the activation hook (n8n does
 * not call `create` for workflows already published when it starts) and kept until `delete`; rebuilt when
 * the node's parameters or credentials change. Throws on an invalid configuration or a store that cannot open.
 */
export async function intakeRuntime(request: RuntimeRequest): Promise<IntakeRuntime> {
  const current = entries.get(request.key);
  if (isFresh(current, request.probe)) return current;
  return refresh(request, false);
}

/** Activation: always reads the configuration, so a broken source fails here rather than at its first event. */
export async function activateIntake(request: RuntimeRequest): Promise<void> {
  await refresh(request, true);
}

export function isIntakeActive(key: string): boolean {
  return entries.has(key);
}

/** Deactivation: closes the mapping workers' hold and gives back the store lease. */
export async function deactivateIntake(key: string): Promise<void> {
  await serialised(key, async () => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    await retire(entry);
  });
}
