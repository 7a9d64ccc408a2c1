import { redactText } from '../core/delivery/redact';
import { isStoreUrl, openStore } from '../core/store/open-store';
import { storeSecrets } from '../core/store/store-secrets';
import type { Store } from '../core/store/store';
import { UsageError, stringOption, type OptionSpecs, type OptionValues } from './args';

export const STORE_OPTIONS: OptionSpecs = {
  store: { type: 'string' },
  'store-env': { type: 'string' },
  tenant: { type: 'string' },
};

export const STORE_USAGE = `  --store URL          the intake store: a SQLite file (path or sqlite:PATH) or postgres://…
  --store-env NAME     read the store URL from environment variable NAME (keeps a password out of ps)
  --tenant T           the tenant (default: default)`;

/** The store the flags name; the caller closes it. */
export async function openStoreFromOptions(values: OptionValues, env: NodeJS.ProcessEnv): Promise<Store> {
  const direct = stringOption(values, 'store');
  const envName = stringOption(values, 'store-env');
  if ((direct === undefined) === (envName === undefined)) throw new UsageError('give --store URL or --store-env NAME');
  const url = direct ?? env[envName!];
  if (!url) throw new UsageError(`--store-env ${envName}: that environment variable is not set`);
  return openStore(url).catch((error: unknown) => {
    // The message may repeat a URL (one that does not parse, a mistyped scheme): its password stays off the terminal.
    // A SQLite file path is no secret, and the message should name it.
    if (error instanceof Error && isStoreUrl(url)) error.message = redactText(error.message, storeSecrets({ postgresUrl: url }));
    throw error;
  });
}

export function tenantOption(values: OptionValues): string {
  return stringOption(values, 'tenant') ?? 'default';
}

/** An ISO 8601 time, or a duration back from now: 90s, 30m, 24h, 7d. */
export function parseTime(text: string, flag: string, now: number): number {
  const relative = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) throw new UsageError(`${flag} must be an ISO 8601 time (2026-01-31T08:00:00Z) or a duration back from now (30m, 24h, 7d)`);
  return at;
}
