import { destinationHealth } from '../../core/delivery/health';
import { enableDestination } from '../../core/delivery/replay';
import type { Store } from '../../core/store/store';
import { requiredOption, type OptionValues } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { defineCommandGroup } from '../command-group';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';

const OPTIONS = { ...STORE_OPTIONS, destination: { type: 'string' as const }, actor: { type: 'string' as const } };

const DESTINATION_USAGE = `  --destination ID     the outbox destination id (n8n: the node's Destination ID; Node-RED: node-red-<node id>)`;

/** Runs one destination operation on the store the flags name; prints its line and exits with its status. */
async function withDestination(values: OptionValues, io: CliIO, work: (store: Store, tenant: string, destinationId: string) => Promise<{ text: string; status: number }>): Promise<number> {
  const destinationId = requiredOption(values, 'destination');
  const store = await openStoreFromOptions(values, io.env);
  try {
    const { text, status } = await work(store, tenantOption(values), destinationId);
    (status === EXIT_OK ? io.stdout : io.stderr).write(`${text}\n`);
    return status;
  } finally {
    await store.close();
  }
}

const health = defineCommand({
  name: 'destination health',
  summary: "a destination's state and its deliveries by state",
  usage: `Usage: incident-intake destination health --store URL --destination ID [--tenant T]

Prints, as JSON, whether the destination is enabled (or why it was disabled, e.g. a 410 from the receiver),
any back-off pause, its deliveries by state (active, in flight, delivered, retries, dead letters) and the
last result.

${STORE_USAGE}
${DESTINATION_USAGE}`,
  options: OPTIONS,
  run: (values, io) =>
    withDestination(values, io, async (store, tenant, destinationId) => ({ text: JSON.stringify(await destinationHealth(store, tenant, destinationId), null, 2), status: EXIT_OK })),
});

const enable = defineCommand({
  name: 'destination enable',
  summary: 're-enable a destination disabled by a 410 or by hand',
  usage: `Usage: incident-intake destination enable --store URL --destination ID --actor WHO [--tenant T]

Turns a disabled destination back on; its scheduled deliveries resume with the next worker pass. Dead
letters stay dead letters: replay them with incident-intake replay. Exit status 1 when it was not disabled.

${STORE_USAGE}
${DESTINATION_USAGE}
  --actor WHO          who does it (audited)`,
  options: OPTIONS,
  run: (values, io) =>
    withDestination(values, io, async (store, tenant, destinationId) => {
      const enabled = await enableDestination(store, tenant, destinationId, { actor: requiredOption(values, 'actor') });
      return enabled
        ? { text: `Destination ${destinationId} (tenant ${tenant}) is enabled.`, status: EXIT_OK }
        : { text: `incident-intake destination: ${destinationId} (tenant ${tenant}) is not disabled; nothing changed`, status: EXIT_FAILURE };
    }),
});

const ACTIONS: Record<string, CliCommand> = { health, enable };

const USAGE = `Usage: incident-intake destination <health|enable> --store URL --destination ID [options]

  health    a destination's state and its deliveries by state
  enable    re-enable a destination disabled by a 410 or by hand

Run "incident-intake destination <action> --help" for their options.`;

export const command = defineCommandGroup('destination', 'show or re-enable a delivery destination', USAGE, ACTIONS);
