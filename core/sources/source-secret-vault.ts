import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SecretEntry } from '../signing';

/** A source's secrets as the store keeps them: AES-256-GCM ciphertext and the id of the key that sealed it. */
export interface SealedSecrets {
  keyId: string;
  /** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
  box: string;
}

/** A sealed list that no key opens, or that was altered. Never carries plaintext. */
export class SourceSecretVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceSecretVaultError';
  }
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_HINT = '32 random bytes in base64, e.g. the output of `openssl rand -base64 32`';

const sealedListSchema = z.array(z.object({ value: z.string().min(1), expiresAt: z.number().int().positive().optional() }));

interface VaultKey {
  id: string;
  key: Buffer;
}

function parseKey(text: string, position: number): VaultKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
    throw new SourceSecretVaultError(`encryption key ${position + 1} is not a valid key: use ${KEY_HINT}`);
  }
  const id = createHash('sha256').update('incident-intake source secrets key\u0000').update(key).digest('hex').slice(0, 16);
  return { id, key };
}

/** Binds a box to its source and key, so a box copied onto another source's row does not open. */
function associatedData(tenant: string, sourceId: string, keyId: string): Buffer {
  return Buffer.from(['incident-intake source secrets', FORMAT, tenant, sourceId, keyId].join('\u0000'));
}

/**
 * Seals a source's secrets (the current one and those in their grace period) for the store, under the same
 * kind of keys as the outbox (32 random bytes, base64): the first key seals, every key opens.
 */
export class SourceSecretVault {
  private readonly keys: readonly VaultKey[];

  constructor(keys: readonly string[]) {
    const parsed = keys.filter((key) => key.trim() !== '').map(parseKey);
    if (parsed.length === 0) throw new SourceSecretVaultError(`an encryption key is needed: ${KEY_HINT}`);
    this.keys = parsed;
  }

  seal(tenant: string, sourceId: string, secrets: readonly SecretEntry[]): SealedSecrets {
    const { id: keyId, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(tenant, sourceId, keyId));
    const plain = JSON.stringify(secrets.map(({ value, expiresAt }) => (expiresAt === undefined ? { value } : { value, expiresAt })));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { keyId, box: [FORMAT, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.') };
  }

  unseal(tenant: string, sourceId: string, sealed: SealedSecrets): SecretEntry[] {
    const where = `the sealed secrets of source ${tenant}/${sourceId}`;
    const vaultKey = this.keys.find((candidate) => candidate.id === sealed.keyId);
    if (!vaultKey) throw new SourceSecretVaultError(`${where} were sealed with key ${sealed.keyId}, which is not among the encryption keys given`);
    const [format, iv, ciphertext, tag, ...rest] = sealed.box.split('.');
    if (format !== FORMAT || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new SourceSecretVaultError(`${where} are not in a format this version can read`);
    }
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', vaultKey.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(tenant, sourceId, sealed.keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SourceSecretVaultError(`${where} failed their integrity check: altered, or sealed for another source`);
    }
    // Parse errors are dropped rather than passed on: their messages could quote a secret.
    const parsed = (() => {
      try {
        return sealedListSchema.safeParse(JSON.parse(plain));
      } catch {
        return undefined;
      }
    })();
    if (!parsed?.success) throw new SourceSecretVaultError(`${where} are not a valid list of secrets`);
    return parsed.data;
  }
}
