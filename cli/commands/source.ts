import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors';
import { disableSourceManually, enableSource, sourceHealth } from '../../core/sources/source-admin';
import type { Store } from '../../core/store/store';
import { requiredOption, stringOption, type OptionValues } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { defineCommandGroup } from '../command-group';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';

const OPTIONS = { ...STORE_OPTIONS, source: { type: 'string' as const }, actor: { type: 'string' as const }, reason: { type: 'string' as const }, force: { type: 'boolean' as const } };

/** Runs one source operation on the store the flags name; a refusal by the core is exit 1 with its message. */
async function withSource(values: OptionValues, io: CliIO, work: (store: Store, tenant: string, sourceId: string) => Promise<string>): Promise<number> {
  const sourceId = requiredOption(values, 'source');
  const store = await openStoreFromOptions(values, io.env);
  try {
    io.stdout.write(`${await work(store, tenantOption(values), sourceId)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError || error instanceof InvalidRequestError)) throw error;
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

Prints the source's state (enabled, or why and when it was disabled), the last clean test event, and its
events of the last 24 hours by state, as JSON.

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

const ACTIONS: Record<string, CliCommand> = { health, enable, disable };

const USAGE = `Usage: incident-intake source <health|enable|disable> --store URL --source ID [options]

  health    a source's state and recent counts
  enable    re-enable a disabled source (after a clean test event, or --force)
  disable   disable a source

Run "incident-intake source <action> --help" for their options.`;

export const command = defineCommandGroup('source', 'show, disable or re-enable an intake source', USAGE, ACTIONS);
