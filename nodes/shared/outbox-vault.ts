import { DestinationVault } from '../../core/delivery/destination-vault';
import { SourceSecretVault } from '../../core/sources/source-secret-vault';
import type { StoreCredential } from './store-location';

/**
 * The vault for the store credential's outbox encryption key(s), or none without a key: destinations are then
 * known only to the n8n process whose delivery nodes used them (see docs/n8n.md, queue mode and restarts).
 * Throws a DestinationVaultError, which never quotes the key, when a key is malformed.
 */
export function outboxVault(credential: StoreCredential): DestinationVault | undefined {
  const current = credential.outboxEncryptionKey?.trim() ?? '';
  const previous = credential.previousOutboxEncryptionKey?.trim() ?? '';
  if (current === '') return undefined;
  return new DestinationVault(previous === '' ? [current] : [current, previous]);
}

/**
 * The same key(s) sealing a source's secrets in the store, which is what lets a rotation be one edit of the
 * source auth credential (see docs/rotation.md); none without a key.
 */
export function sourceSecretVault(credential: StoreCredential): SourceSecretVault | undefined {
  const keys = [credential.outboxEncryptionKey, credential.previousOutboxEncryptionKey].map((key) => key?.trim() ?? '').filter(Boolean);
  return keys.length === 0 ? undefined : new SourceSecretVault(keys);
}
