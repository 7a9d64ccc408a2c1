import { isDeepStrictEqual } from 'node:util';
import { systemClock, type Clock } from '../clock';
import type { SealedDestinationRecord } from '../store/delivery-records';
import type { Store } from '../store/store';
import { destinationSchema, type DestinationConfig, type DestinationConfigInput } from './destination-config';
import type { DestinationSource } from './destination-set';
import type { DestinationVault } from './destination-vault';

/**
 * Keeps a destination's whole config, sealed, with its row in the store, so that any worker holding the key
 * can serve it (after a restart, or in another process). An identical config already sealed under the vault's
 * sealing key is left as it is; anything else (a changed config, an older key) is sealed again.
 * Returns whether it wrote.
 */
export async function sealDestination(store: Store, vault: DestinationVault, input: DestinationConfigInput | DestinationConfig, options: { clock?: Clock } = {}): Promise<boolean> {
  const config = destinationSchema.parse(input);
  const now = (options.clock ?? systemClock).now();
  return store.transaction(async (repositories) => {
    await repositories.destinations.ensure(config.tenant, config.id, config.kind, now);
    const current = await repositories.destinations.getSealed(config.tenant, config.id);
    if (current && current.keyId === vault.sealingKeyId && isDeepStrictEqual(openOrNothing(vault, current), asSealed(config))) return false;
    await repositories.destinations.saveSealed(config.tenant, config.id, vault.seal(config), now);
    return true;
  });
}

/** The config as it comes out of a box: through JSON, so keys holding `undefined` are gone. */
const asSealed = (config: DestinationConfig): unknown => JSON.parse(JSON.stringify(config));

function openOrNothing(vault: DestinationVault, sealed: SealedDestinationRecord): DestinationConfig | undefined {
  try {
    return vault.unseal(sealed.tenant, sealed.id, sealed);
  } catch {
    return undefined;
  }
}

interface Opened {
  box: string;
  config?: DestinationConfig;
}

/**
 * A worker's source of every destination sealed in the store (of one tenant, or of all). Each box is opened
 * once: a config that does not open (another key, altered) is reported once and skipped until it is sealed
 * again, and the other destinations are still served.
 */
export function sealedDestinations(vault: DestinationVault, options: { tenant?: string } = {}): DestinationSource {
  let opened = new Map<string, Opened>();
  return async (store, report) => {
    const rows = await store.transaction((repositories) => repositories.destinations.listSealed(options.tenant));
    const next = new Map<string, Opened>();
    for (const row of rows) {
      const key = `${row.tenant}\u0000${row.id}`;
      const previous = opened.get(key);
      next.set(key, previous?.box === row.box ? previous : open(vault, row, report));
    }
    opened = next;
    return [...next.values()].flatMap((entry) => (entry.config ? [entry.config] : []));
  };
}

function open(vault: DestinationVault, row: SealedDestinationRecord, report: (error: unknown) => void): Opened {
  try {
    return { box: row.box, config: vault.unseal(row.tenant, row.id, row) };
  } catch (error) {
    report(error);
    return { box: row.box };
  }
}
