import type { Migration } from './migration';

/**
 * Destination configs sealed by the host (AES-256-GCM, see core/delivery/destination-vault.ts), so that any
 * worker holding the key can serve a destination after a restart or in another process. Only ciphertext and
 * the sealing key's id are stored; the columns stay empty for hosts that supply their configs themselves.
 */
export const sealedDestinations: Migration = {
  version: 4,
  name: 'sealed-destinations',
  up() {
    return `
      ALTER TABLE destinations ADD COLUMN sealed_config TEXT;
      ALTER TABLE destinations ADD COLUMN sealed_key_id TEXT;
      ALTER TABLE destinations ADD COLUMN sealed_at BIGINT;
    `;
  },
};
