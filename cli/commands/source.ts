import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors';
import { disableSourceManually, enableSource, sourceHealth } from '../../core/sources/source-admin';
import type { Store } from '../../core/store/store';
import { SCHEME_NAMES, generateSecret } from '../../core/signing';
import { endStoredPrevious } from '../../core/sources/sealed-source-secrets';
import { SourceSecretVault, SourceSecretVaultError } from '../../core/sources/source-secret-vault';
import { UsageError, parseScheme, requiredOption, stringOption, type OptionValues } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { defineCommandGroup } from '../command-group';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';

const OPTIONS = { ...STORE_OPTIONS, source: { type: 'string' as const }, actor: { type: 'string' as const }, reason: { type: 'string' as const }, force: { type: 'boolean' as const } };
const ROTATE_OPTIONS = { ...OPTIONS, 'key-env': { type: 'string' as const }, 'grace-hours': { type: 'string' as const }, revoke: { type: 'boolean' as const } };

/** Runs one source operation on the store the flags name; a refusal by the core is exit 1 with its message. */
async function withSource(values: OptionValues, io: CliIO, work: (store: Store, tenant: string, sourceId: string) => Promise<string>): Promise<number> {
  const sourceId = requiredOption(values, 'source');
  const store = await openStoreFromOptions(values, io.env);
  try {
    io.stdout.write(`${await work(store, tenantOption(values), sourceId)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError || error instanceof InvalidRequestError || error instanceof SourceSecretVaultError)) throw error;
    io.stderr.write(`incident-intake source: ${error.message}\n`);
    return EXIT_FAILURE;
  } finally {
    await store.close();
  }
}

const health = defineCommand({
  name: 'source health',
  summary: "a source's state and recent counts",
  usage: `Usage: incident-intake source health --store URL --source ID [--tenant T]

Prints the source's state (enabled, or why and when it was disabled), the last clean test event, its
events of the last 24 hours by state, and which secret its last accepted request was signed with
(secrets.lastUsed: current or previous, and when; senderSwitched after a rotation), as JSON.

${STORE_USAGE}
  --source ID          the source id`,
  options: OPTIONS,
  run: (values, io) => withSource(values, io, async (store, tenant, sourceId) => JSON.stringify(await sourceHealth(store, tenant, sourceId), null, 2)),
});

const enable = defineCommand({
  name: 'source enable',
  summary: 're-enable a disabled source',
  usage: `Usage: incident-intake source enable --store URL --source ID --actor WHO [--force] [--tenant T]

Re-enables a disabled source once a clean test event has arrived since it was disabled (send one with
incident-intake send --test). --force skips that check; the audit trail records it.

${STORE_USAGE}
  --source ID          the source id
  --actor WHO          who does it (audited)
  --force              enable without a clean test event`,
  options: OPTIONS,
  run: (values, io) =>
    withSource(values, io, async (store, tenant, sourceId) => {
      await enableSource(store, tenant, sourceId, requiredOption(values, 'actor'), { force: values.force === true });
      return `Source ${sourceId} (tenant ${tenant}) is enabled.`;
    }),
});

const disable = defineCommand({
  name: 'source disable',
  summary: 'disable a source (senders get 503 and retry later)',
  usage: `Usage: incident-intake source disable --store URL --source ID --actor WHO --reason TEXT [--tenant T]

Disables a source: its requests are answered 503 with Retry-After, so senders keep them and retry.

${STORE_USAGE}
  --source ID          the source id
  --actor WHO          who does it (audited)
  --reason TEXT        why (audited, and shown to senders)`,
  options: OPTIONS,
  run: (values, io) =>
    withSource(values, io, async (store, tenant, sourceId) => {
      await disableSourceManually(store, tenant, sourceId, stringOption(values, 'reason') ?? '', requiredOption(values, 'actor'));
      return `Source ${sourceId} (tenant ${tenant}) is disabled.`;
    }),
});

const newSecret = defineCommand({
  name: 'source new-secret',
  summary: "a fresh secret in the format a scheme's senders need",
  usage: `Usage: incident-intake source new-secret --scheme SCHEME

Prints a new random secret for SCHEME on stdout, once, and stores it nowhere: whsec_<base64 of 32 bytes> for
standard-webhooks, whsec_<hex> for stripe, 64 hex characters for pagerduty, hub-sha256, grafana and hmac-*,
a base64url token for token, intake:<password> for basic. Put it into the sender and into the source's
credential (n8n: the Secret field, which rotates; Node-RED's Rotate button generates one itself).

  --scheme SCHEME      ${SCHEME_NAMES.filter((name) => name !== 'none').join(', ')}`,
  options: { scheme: { type: 'string' as const } },
  run: async (values, io) => {
    const scheme = parseScheme(requiredOption(values, 'scheme'));
    if (scheme === 'none') throw new UsageError('scheme none has no secret');
    io.stdout.write(`${generateSecret(scheme)}\n`);
    return EXIT_OK;
  },
});

const rotate = defineCommand({
  name: 'source rotate',
  summary: 'end the grace of the secrets a rotation replaced, now or later (store-kept rotation)',
  usage: `Usage: incident-intake source rotate --store URL --source ID --key-env NAME --actor WHO (--revoke | --grace-hours N) [--tenant T]

For sources whose store keeps the replaced secrets sealed (n8n with an encryption key in the store
credential: replacing the credential's Secret rotates). --revoke refuses the replaced secrets from now on,
e.g. for a compromised key; --grace-hours N accepts them for N more hours (at most 720). Audited with the
actor. Running triggers take the change up within 5 seconds. Prints what changed, never a secret.

${STORE_USAGE}
  --source ID          the source id
  --key-env NAME       environment variable holding the store credential's encryption key (base64)
  --actor WHO          who does it (audited)
  --revoke             refuse the replaced secrets now
  --grace-hours N      or keep them N more hours`,
  options: ROTATE_OPTIONS,
  run: (values, io) =>
    withSource(values, io, async (store, tenant, sourceId) => {
      const key = io.env[requiredOption(values, 'key-env')];
      if (!key) throw new UsageError(`--key-env ${stringOption(values, 'key-env')}: that environment variable is not set`);
      const revoke = values.revoke === true;
      const hours = stringOption(values, 'grace-hours');
      if (revoke === (hours !== undefined)) throw new UsageError('give --revoke or --grace-hours N');
      if (hours !== undefined && !/^\d+(\.\d+)?$/.test(hours)) throw new UsageError('--grace-hours must be a number of hours');
      const graceSeconds = revoke ? 0 : Math.round(Number(hours) * 3600);
      const ended = await endStoredPrevious(store, new SourceSecretVault([key]), { tenant, id: sourceId }, { actor: requiredOption(values, 'actor'), graceSeconds, revoke });
      if (ended.changed === 0) return `Source ${sourceId} (tenant ${tenant}) has no replaced secret in its grace period; nothing changed.`;
      const until = ended.previousValidUntil === null ? 'are refused from now on' : `are accepted until ${new Date(ended.previousValidUntil).toISOString()}`;
      return `Source ${sourceId} (tenant ${tenant}): ${ended.changed} replaced secret(s) ${until}.`;
    }),
});

const ACTIONS: Record<string, CliCommand> = { health, enable, disable, rotate, 'new-secret': newSecret };

const USAGE = `Usage: incident-intake source <health|enable|disable|rotate|new-secret> [options]

  health      a source's state, recent counts and which secret its sender uses
  enable      re-enable a disabled source (after a clean test event, or --force)
  disable     disable a source
  rotate      end the grace of replaced secrets now (--revoke) or later (--grace-hours)
  new-secret  print a fresh secret in the format a scheme needs

Run "incident-intake source <action> --help" for their options.`;

export const command = defineCommandGroup('source', 'show, disable, re-enable or rotate the secret of an intake source', USAGE, ACTIONS);
