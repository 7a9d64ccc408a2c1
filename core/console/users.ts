import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { isConsoleRole, type ConsolePrincipal, type ConsoleRole } from './roles';

/** A console user as the users file describes them; the password only as an scrypt hash. */
export interface ConsoleUser extends ConsolePrincipal {
  passwordHash: string;
}

/** A read-only API consumer from the users file: the token only as its SHA-256. */
export interface FileApiToken {
  id: string;
  name: string;
  tenants: string[] | '*';
  sha256: string;
}

export interface ConsoleUserDirectory {
  users: ConsoleUser[];
  apiTokens: FileApiToken[];
}

/** A users file that cannot be used: says which entry and why, never echoing a hash. */
export class ConsoleUsersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleUsersError';
  }
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url), for the users file. */
export async function hashConsolePassword(password: string): Promise<string> {
  if (!password) throw new ConsoleUsersError('the password must not be empty');
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH_FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

export async function verifyConsolePassword(password: string, passwordHash: string): Promise<boolean> {
  const parts = HASH_FORMAT.exec(passwordHash);
  if (!parts) return false;
  const [, n, r, p, salt, expected] = parts;
  const want = Buffer.from(expected!, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt!, 'base64url'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, want);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseTenants(value: unknown, where: string): string[] | '*' {
  if (value === '*') return '*';
  if (typeof value === 'string' && value) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((tenant) => typeof tenant === 'string' && tenant)) return value as string[];
  throw new ConsoleUsersError(`${where}: tenants must be "*" or a list of tenant names`);
}

function parseUser(entry: unknown, index: number): ConsoleUser {
  const where = `users[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new ConsoleUsersError(`${where}: must be an object`);
  const user = entry as Record<string, unknown>;
  if (typeof user.id !== 'string' || !/^[A-Za-z0-9_.@-]{1,100}$/.test(user.id)) throw new ConsoleUsersError(`${where}: id must be 1–100 letters, digits or . _ @ -`);
  if ('password' in user) throw new ConsoleUsersError(`${where} (${user.id}): plain "password" is not accepted; give passwordHash (incident-intake console --hash-password)`);
  if (typeof user.passwordHash !== 'string' || !HASH_FORMAT.test(user.passwordHash)) throw new ConsoleUsersError(`${where} (${user.id}): passwordHash must be an scrypt hash made by incident-intake console --hash-password`);
  const roles = Array.isArray(user.roles) ? user.roles : [user.roles];
  if (roles.length === 0 || !roles.every(isConsoleRole)) throw new ConsoleUsersError(`${where} (${user.id}): roles must be a list of viewer, reviewer, operator, admin`);
  const name = typeof user.name === 'string' && user.name.trim() ? user.name.trim() : user.id;
  return { id: user.id, name, roles: roles as ConsoleRole[], tenants: parseTenants(user.tenants, `${where} (${user.id})`), passwordHash: user.passwordHash };
}

function parseToken(entry: unknown, index: number): FileApiToken {
  const where = `apiTokens[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new ConsoleUsersError(`${where}: must be an object`);
  const token = entry as Record<string, unknown>;
  if (typeof token.id !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(token.id)) throw new ConsoleUsersError(`${where}: id must be 1–100 letters, digits or . _ -`);
  if ('token' in token) throw new ConsoleUsersError(`${where} (${token.id}): a plain token is not accepted; give sha256 (incident-intake console --hash-token)`);
  if (typeof token.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(token.sha256)) throw new ConsoleUsersError(`${where} (${token.id}): sha256 must be the token's SHA-256 in hex`);
  const name = typeof token.name === 'string' && token.name.trim() ? token.name.trim() : token.id;
  return { id: token.id, name, tenants: parseTenants(token.tenants, `${where} (${token.id})`), sha256: token.sha256 };
}

/** Reads the users file (JSON or YAML): `users` with password hashes, roles and tenants; optional `apiTokens` (hashed). */
export function parseConsoleUsers(text: string): ConsoleUserDirectory {
  let document: unknown;
  try {
    document = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConsoleUsersError(`the users file is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { users?: unknown }).users)) {
    throw new ConsoleUsersError('the users file needs a "users" list');
  }
  const { users, apiTokens = [] } = document as { users: unknown[]; apiTokens?: unknown };
  if (!Array.isArray(apiTokens)) throw new ConsoleUsersError('"apiTokens" must be a list');
  const directory = { users: users.map(parseUser), apiTokens: apiTokens.map(parseToken) };
  const ids = new Set<string>();
  for (const user of directory.users) {
    if (ids.has(user.id)) throw new ConsoleUsersError(`users: ${user.id} appears twice`);
    ids.add(user.id);
  }
  return directory;
}
