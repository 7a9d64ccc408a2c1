import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { postgresUrlSetting } from '../../core/store/open-store';
import { storeSecrets as storeSettingsSecrets } from '../../core/store/store-secrets';

export interface StoreCredential {
  backend?: string;
  sqlitePath?: string;
  postgresUrl?: string;
  /** Base64 of 32 random bytes; seals destination configs into the store (see outbox-vault.ts). */
  outboxEncryptionKey?: string;
  /** The key being rotated out: still opens what it sealed. */
  previousOutboxEncryptionKey?: string;
  /** Delivery host policy (see outbound-hosts.ts): comma- or space-separated entries. */
  allowedDeliveryHosts?: string;
  deniedDeliveryHosts?: string;
  onlyAllowedHosts?: boolean;
  /** Days the daily retention cleanup keeps disposable events; 0 off, absent the default (30). */
  retentionDays?: number | string;
}

/** The n8n user folder, resolved the way n8n resolves it. */
export function n8nFolder(): string {
  return join(process.env.N8N_USER_FOLDER ?? homedir(), '.n8n');
}

const DEFAULT_SQLITE_FILE = join('incident-intake', 'intake.sqlite');

/** The `openStore` location a store credential names. */
export function storeLocation(credential: StoreCredential): string {
  if (credential.backend === 'postgres') {
    const url = credential.postgresUrl?.trim();
    if (!url) throw new Error('the intake store credential names PostgreSQL but has no URL');
    return postgresUrlSetting(url, "the intake store credential's PostgreSQL URL");
  }
  const path = credential.sqlitePath?.trim() || DEFAULT_SQLITE_FILE;
  return path === ':memory:' || isAbsolute(path) ? path : join(n8nFolder(), path);
}

/** Everything secret in a store credential, for redacting messages that might echo it (driver errors). */
export function storeSecrets(credential: StoreCredential): string[] {
  return storeSettingsSecrets({ postgresUrl: credential.postgresUrl, outboxKeys: [credential.outboxEncryptionKey, credential.previousOutboxEncryptionKey] });
}
