import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { destinationSchema, type DestinationConfig } from './destination-config';

/** A destination config (secrets included) as the store keeps it: ciphertext, and the id of the key that sealed it. */
export interface SealedDestination {
  keyId: string;
  /** `v1.<iv>.<ciphertext>.<tag>`, base64url parts; AES-256-GCM. */
  box: string;
}

/** A sealed config that none of the vault's keys opens, or that was altered. Never carries plaintext. */
export class DestinationVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationVaultError';
  }
}

interface VaultKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_HINT = '32 random bytes in base64, e.g. the output of `openssl rand -base64 32`';

/** A short fingerprint that names a key in the store without revealing anything usable about it. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('incident-intake destination vault key\u0000').update(key).digest('hex').slice(0, 16);
}

function parseKey(text: string, position: number): VaultKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from silently skips characters outside base64, so a round trip catches a mistyped key.
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
    throw new DestinationVaultError(`outbox encryption key ${position + 1} is not a valid key: use ${KEY_HINT}`);
  }
  return { id: keyIdOf(key), key };
}

/** Binds a box to its destination and key, so a box copied onto another destination's row does not open. */
function associatedData(tenant: string, id: string, keyId: string): Buffer {
  return Buffer.from(['incident-intake destination', FORMAT, tenant, id, keyId].join('\u0000'));
}

const encode = (bytes: Buffer) => bytes.toString('base64url');

/** Parse errors are dropped rather than passed on: their messages quote the (secret) text. */
function parseConfig(plaintext: string): DestinationConfig | undefined {
  try {
    const parsed = destinationSchema.safeParse(JSON.parse(plaintext));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seals and unseals whole destination configs with AES-256-GCM under keys the host supplies. Keys are
 * 32 random bytes given in base64 (no passphrases: nothing to stretch, nothing else to store). The first key
 * seals; every key unseals, found by the key id stored beside the box, so a key can be rotated by putting the
 * new one first and keeping the old one until every destination has been sealed again.
 */
export class DestinationVault {
  private readonly keys: readonly VaultKey[];

  constructor(keys: readonly string[]) {
    const parsed = keys.filter((key) => key.trim() !== '').map(parseKey);
    if (parsed.length === 0) throw new DestinationVaultError(`an outbox encryption key is needed: ${KEY_HINT}`);
    this.keys = parsed;
  }

  /** The id of the key that seals; sealed configs under any other key are due to be sealed again. */
  get sealingKeyId(): string {
    return this.keys[0]!.id;
  }

  get keyIds(): string[] {
    return this.keys.map((key) => key.id);
  }

  seal(config: DestinationConfig): SealedDestination {
    const { id: keyId, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(config.tenant, config.id, keyId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(config), 'utf8'), cipher.final()]);
    return { keyId, box: [FORMAT, encode(iv), encode(ciphertext), encode(cipher.getAuthTag())].join('.') };
  }

  /** Opens the box sealed for destination `tenant`/`id`; throws {@link DestinationVaultError} on a wrong key or any alteration. */
  unseal(tenant: string, id: string, sealed: SealedDestination): DestinationConfig {
    const where = `the sealed config of destination ${tenant}/${id}`;
    const vaultKey = this.keys.find((candidate) => candidate.id === sealed.keyId);
    if (!vaultKey) throw new DestinationVaultError(`${where} was sealed with key ${sealed.keyId}, which is not among the outbox encryption keys given (${this.keyIds.join(', ')})`);
    const plaintext = this.decrypt(vaultKey, associatedData(tenant, id, sealed.keyId), sealed.box, where);
    const config = parseConfig(plaintext);
    if (!config || config.tenant !== tenant || config.id !== id) throw new DestinationVaultError(`${where} is not a valid destination config`);
    return config;
  }

  private decrypt(vaultKey: VaultKey, aad: Buffer, box: string, where: string): string {
    const [format, iv, ciphertext, tag, ...rest] = box.split('.');
    if (format !== FORMAT || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new DestinationVaultError(`${where} is not in a format this version can read`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', vaultKey.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DestinationVaultError(`${where} failed its integrity check: it was altered, or sealed for another destination`);
    }
  }
}
