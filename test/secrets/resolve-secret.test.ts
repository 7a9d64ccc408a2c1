import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isSecretLookingHeader,
  looksLikeSecretValue,
  MAX_SECRET_FILE_BYTES,
  parseHeaderReference,
  parseSecretReference,
  resolveHeaderValue,
  resolveSecret,
  resolveSecretSync,
  SecretResolutionError,
  urlCarriesSecret,
} from '../../core/secrets';

const dir = mkdtempSync(join(tmpdir(), 'secret-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VALUE = 'tok-3f9a61c2d4e8b7a5';
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function failure(text: string, env: NodeJS.ProcessEnv = {}): Promise<SecretResolutionError> {
  const error = await resolveSecret(text, { env }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SecretResolutionError);
  expect(() => resolveSecretSync(text, { env })).toThrow(SecretResolutionError);
  return error as SecretResolutionError;
}

describe('secret references', () => {
  it('parses env:NAME and file:/absolute/path, and nothing else', () => {
    expect(parseSecretReference('env:ACME_TOKEN')).toEqual({ kind: 'env', name: 'ACME_TOKEN' });
    expect(parseSecretReference(' file:/run/secrets/acme_token ')).toEqual({ kind: 'file', path: '/run/secrets/acme_token' });
    for (const value of ['ACME_TOKEN', 'env:', 'env:1ABC', 'env:A B', 'file:relative/path', 'file:/', 'file:/dir/', 'whsec_abc', 'Bearer env:X', 'https://env:pw@host/']) {
      expect(parseSecretReference(value), value).toBeUndefined();
    }
    expect(parseHeaderReference('Bearer env:ACME_TOKEN')).toEqual({ prefix: 'Bearer ', reference: { kind: 'env', name: 'ACME_TOKEN' } });
    expect(parseHeaderReference('file:/run/secrets/h')).toEqual({ prefix: '', reference: { kind: 'file', path: '/run/secrets/h' } });
    expect(parseHeaderReference('Bearer abc')).toBeUndefined();
  });

  it('resolves env references from the environment at each call', async () => {
    const env: NodeJS.ProcessEnv = { ACME_TOKEN: VALUE };
    expect(await resolveSecret('env:ACME_TOKEN', { env })).toBe(VALUE);
    env.ACME_TOKEN = 'rotated-value-0001';
    expect(resolveSecretSync('env:ACME_TOKEN', { env })).toBe('rotated-value-0001');
    expect(await resolveHeaderValue('Bearer env:ACME_TOKEN', { env })).toBe('Bearer rotated-value-0001');
  });

  it('passes a plain value through unchanged', async () => {
    expect(await resolveSecret(VALUE)).toBe(VALUE);
    expect(resolveSecretSync('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(await resolveHeaderValue('application/json')).toBe('application/json');
  });

  it('reads file references (a mounted secret) without the trailing newline, again at each call', async () => {
    const path = file('token', `${VALUE}\n`);
    expect(await resolveSecret(`file:${path}`)).toBe(VALUE);
    expect(resolveSecretSync(`file:${path}`)).toBe(VALUE);
    writeFileSync(path, 'rotated-in-the-file\r\n');
    expect(await resolveSecret(`file:${path}`)).toBe('rotated-in-the-file');
    expect(await resolveHeaderValue(`Token file:${path}`)).toBe('Token rotated-in-the-file');
  });

  it('names the reference and the problem for a missing variable or file, never a value', async () => {
    const unset = await failure('env:NOT_SET_ANYWHERE');
    expect(unset.message).toBe('secret reference env:NOT_SET_ANYWHERE is not set');
    expect(unset.problem).toBe('not_set');
    expect((await failure('env:BLANK', { BLANK: '  ' })).problem).toBe('empty');
    const missing = await failure(`file:${join(dir, 'absent')}`);
    expect(missing.problem).toBe('not_found');
    expect(missing.message).toBe(`secret reference file:${join(dir, 'absent')} names a file that does not exist`);
    expect((await failure(`file:${file('blank', '\n')}`)).problem).toBe('empty');
  });

  it('refuses an unreadable file, a directory, a FIFO, a device and an oversized file without quoting any content', async () => {
    const secretText = `${VALUE}-in-a-file-nobody-may-read`;
    const locked = file('locked', secretText);
    chmodSync(locked, 0o000);
    const runsAsRoot = process.getuid?.() === 0;
    if (!runsAsRoot) {
      const error = await failure(`file:${locked}`);
      expect(error.problem).toBe('unreadable');
      expect(error.message).not.toContain(secretText);
    }
    expect((await failure(`file:${dir}`)).problem).toBe('unreadable');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect((await failure(`file:${fifo}`)).problem).toBe('unreadable');
    expect((await failure('file:/dev/zero')).problem).toBe('unreadable');
    const huge = file('huge', Buffer.alloc(MAX_SECRET_FILE_BYTES + 10, 'a'));
    const tooLarge = await failure(`file:${huge}`);
    expect(tooLarge.problem).toBe('too_large');
    expect(tooLarge.message).not.toContain('aaaa');
    expect(tooLarge.inField('signing.secret').message).toBe(`signing.secret: secret reference file:${huge} names a file over 64 KiB, which is not a secret`);
  });
});

describe('what looks like a secret', () => {
  it('flags credential headers with literal values and credential-shaped values under any name', () => {
    expect(isSecretLookingHeader('Authorization', 'Bearer abc123')).toBe(true);
    expect(isSecretLookingHeader('X-Api-Key', 'k1')).toBe(true);
    expect(isSecretLookingHeader('X-Client', 'ghp_0123456789abcdefghijABCDEFGHIJ')).toBe(true);
    expect(isSecretLookingHeader('X-Anything', 'Bearer abcdef12')).toBe(true);
    expect(isSecretLookingHeader('Authorization', 'env:RECEIVER_AUTH')).toBe(false);
    expect(isSecretLookingHeader('Authorization', 'Bearer file:/run/secrets/t')).toBe(false);
    expect(isSecretLookingHeader('X-Client', 'acme')).toBe(false);
    expect(isSecretLookingHeader('Content-Type', 'application/json')).toBe(false);
    expect(looksLikeSecretValue('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(true);
    expect(looksLikeSecretValue('https://soc.acme.example/incidents')).toBe(false);
    expect(looksLikeSecretValue('Payment API returning 503')).toBe(false);
    expect(looksLikeSecretValue('01FCNDV6P870EA6S7TK1DSYDG0')).toBe(false);
    expect(looksLikeSecretValue('3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f')).toBe(false);
    expect(looksLikeSecretValue('a1b2c3d4e5f6a1b2c3d4e5f6a1b2')).toBe(true);
  });

  it('flags URLs with a password or a credential query value', () => {
    expect(urlCarriesSecret('https://user:pw@hooks.example/x')).toBe(true);
    expect(urlCarriesSecret('https://hooks.example/x?token=abc')).toBe(true);
    expect(urlCarriesSecret('https://hooks.example/x?sig=abc')).toBe(true);
    expect(urlCarriesSecret('https://hooks.example/x?team=payments')).toBe(false);
    expect(urlCarriesSecret('env:RECEIVER_URL')).toBe(false);
  });
});
