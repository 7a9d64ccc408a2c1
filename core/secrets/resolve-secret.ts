import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseHeaderReference, parseSecretReference, referenceText, type SecretReference } from './secret-reference';
import { SecretResolutionError, type SecretProblem } from './secret-resolution-error';

/** A secret file is read up to this size; anything longer is refused rather than read whole. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

export interface SecretSources {
  /** Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Mounted secrets usually end with a newline that is not part of the secret. */
const withoutTrailingNewlines = (text: string) => text.replace(/[\r\n]+$/, '');

/** Non-blocking, so a FIFO without a writer is refused instead of holding a thread (or the event loop). */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Only a regular file (or a link to one, as Kubernetes mounts secrets) holds a secret; not a FIFO, device or folder. */
class NotAFile extends Error {}

function fileProblem(error: unknown): SecretProblem {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'not_found' : 'unreadable';
}

function checked(reference: SecretReference, value: string | undefined, tooLarge = false): string {
  if (tooLarge) throw new SecretResolutionError(referenceText(reference), 'too_large');
  if (value === undefined) throw new SecretResolutionError(referenceText(reference), 'not_set');
  const secret = reference.kind === 'file' ? withoutTrailingNewlines(value) : value;
  if (secret.trim() === '') throw new SecretResolutionError(referenceText(reference), 'empty');
  return secret;
}

async function readSecretFile(reference: SecretReference & { kind: 'file' }): Promise<string> {
  let handle;
  try {
    handle = await open(reference.path, OPEN_FLAGS);
    if (!(await handle.stat()).isFile()) throw new NotAFile();
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
    }
    return checked(reference, buffer.subarray(0, length).toString('utf8'), length > MAX_SECRET_FILE_BYTES);
  } catch (error) {
    if (error instanceof SecretResolutionError) throw error;
    throw new SecretResolutionError(referenceText(reference), fileProblem(error));
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function readSecretFileSync(reference: SecretReference & { kind: 'file' }): string {
  let fd: number | undefined;
  try {
    fd = openSync(reference.path, OPEN_FLAGS);
    if (!fstatSync(fd).isFile()) throw new NotAFile();
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
    }
    return checked(reference, buffer.subarray(0, length).toString('utf8'), length > MAX_SECRET_FILE_BYTES);
  } catch (error) {
    if (error instanceof SecretResolutionError) throw error;
    throw new SecretResolutionError(referenceText(reference), fileProblem(error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The secret a configured text stands for, read now: the text itself when it is a value, the variable's
 * value for `env:NAME`, the file's content (without its trailing newline) for `file:/path`. Reading at each
 * use means a rotated Kubernetes or Docker secret is picked up without a restart. Throws
 * {@link SecretResolutionError} (naming the reference, never a value) when the reference gives nothing.
 */
export async function resolveSecret(text: string, sources: SecretSources = {}): Promise<string> {
  const reference = parseSecretReference(text);
  if (!reference) return text;
  if (reference.kind === 'env') return checked(reference, (sources.env ?? process.env)[reference.name]);
  return readSecretFile(reference);
}

/**
 * {@link resolveSecret} without waiting, for configuration read once when a flow starts (a source's secrets
 * on deploy or activation). A secret file is small and read at most once per start.
 */
export function resolveSecretSync(text: string, sources: SecretSources = {}): string {
  const reference = parseSecretReference(text);
  if (!reference) return text;
  if (reference.kind === 'env') return checked(reference, (sources.env ?? process.env)[reference.name]);
  return readSecretFileSync(reference);
}

/** A header value with its reference (whole, or after `Bearer `/`Basic `/`Token `) resolved. */
export async function resolveHeaderValue(value: string, sources: SecretSources = {}): Promise<string> {
  const header = parseHeaderReference(value);
  if (!header) return value;
  return header.prefix + (await resolveSecret(referenceText(header.reference), sources));
}
