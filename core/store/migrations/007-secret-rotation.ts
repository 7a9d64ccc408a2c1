import type { Migration } from './migration';

/**
 * Rotation state of a source: which secret (a name such as `current`/`previous`, never the value) its last
 * accepted request was signed with and when, when the secret was last rotated, and when the replaced secrets'
 * grace period ends (so that end is audited). Hosts that cannot keep the replaced secret themselves (n8n) keep
 * the source's secrets here sealed (AES-256-GCM under the store credential's encryption key): only ciphertext
 * and the key's id are stored.
 */
export const secretRotation: Migration = {
  version: 7,
  name: 'secret-rotation',
  up() {
    return `
      ALTER TABLE sources ADD COLUMN last_secret_label TEXT;
      ALTER TABLE sources ADD COLUMN last_secret_at BIGINT;
      ALTER TABLE sources ADD COLUMN secret_rotated_at BIGINT;
      ALTER TABLE sources ADD COLUMN secret_grace_ends_at BIGINT;
      ALTER TABLE sources ADD COLUMN sealed_secrets TEXT;
      ALTER TABLE sources ADD COLUMN sealed_secrets_key_id TEXT;
    `;
  },
};
