import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store';
import type { ApiTokenRecord } from '../store/repositories/console-repository';
import { sha256Hex, type FileApiToken } from './users';

/** Who a valid API token belongs to: read-only (viewer scope) on its tenants. */
export interface ApiConsumer {
  id: string;
  name: string;
  tenants: string[] | '*';
}

const TOKEN_FORMAT = /^iit_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

/** A new token: returned once to show to the admin; only its SHA-256 is stored. */
export async function createApiToken(store: Store, tenant: string, name: string, actor: string, now: number): Promise<{ record: ApiTokenRecord; token: string }> {
  const id = randomBytes(8).toString('hex');
  const token = `iit_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiTokenRecord = { id, tenant, name, tokenSha256: sha256Hex(token), createdBy: actor, createdAt: now, revokedAt: null, lastUsedAt: null };
  await store.transaction(async (r) => {
    await r.console.insertApiToken(record);
    await r.audit.append({ tenant, at: now, actor, action: 'console.api_token_created', subjectType: 'api_token', subjectId: id, details: { name } });
  });
  return { record, token };
}

export async function revokeApiToken(store: Store, tenant: string, id: string, actor: string, now: number): Promise<boolean> {
  return store.transaction(async (r) => {
    const revoked = await r.console.revokeApiToken(tenant, id, now);
    if (revoked) await r.audit.append({ tenant, at: now, actor, action: 'console.api_token_revoked', subjectType: 'api_token', subjectId: id });
    return revoked;
  });
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The consumer a bearer token names: a token issued in the console (not revoked) or one from the users file. */
export async function authenticateApiToken(store: Store, token: string, fileTokens: readonly FileApiToken[], now: number): Promise<ApiConsumer | undefined> {
  const hash = sha256Hex(token);
  const fromFile = fileTokens.find((entry) => sameHex(entry.sha256, hash));
  if (fromFile) return { id: fromFile.id, name: fromFile.name, tenants: fromFile.tenants };
  const id = TOKEN_FORMAT.exec(token)?.[1];
  if (!id) return undefined;
  const record = await store.transaction((r) => r.console.apiToken(id));
  if (!record || record.revokedAt !== null || !sameHex(record.tokenSha256, hash)) return undefined;
  await store.transaction((r) => r.console.touchApiToken(id, now));
  return { id: record.id, name: record.name, tenants: [record.tenant] };
}
