import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { checkAlertSourceToken } from '../../core/delivery/incident-io/check-alert-source';
import { UndiciTransport } from '../../core/delivery/http-transport';
import { redactText } from '../../core/delivery/redact';
import { webhookDestinationSchema } from '../../core/delivery/destination-config';
import { secretHeadersFrom } from '../../core/delivery/secret-headers';
import { resolveSecret } from '../../core/secrets/resolve-secret';
import { authConfigSchema } from '../../core/intake/source-config';
import { checkAuthConfig } from '../../core/signing/check-auth-config';
import { outboundHostPolicy } from './outbound-hosts';
import { outboxVault } from './outbox-vault';
import { authInput, type SourceAuthCredential } from './source-auth';
import { storeLocation, type StoreCredential } from './store-location';
import { withStore } from './store-cache';

type Data = ICredentialDataDecryptedObject;

const ok = (message: string): INodeCredentialTestResult => ({ status: 'OK', message });
const failed = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

function secretsOf(data: Data): string[] {
  return Object.values(data).filter((value): value is string => typeof value === 'string' && value.length > 0);
}

async function guarded(data: Data, check: () => Promise<INodeCredentialTestResult>): Promise<INodeCredentialTestResult> {
  try {
    return await check();
  } catch (error) {
    return failed(redactText(error instanceof Error ? error.message : String(error), secretsOf(data)));
  }
}

/**
 * Opens the store (creating and migrating a SQLite file if needed) and reads from it; checks the delivery host
 * entries; with an outbox key, checks its format and counts the sealed destinations it opens.
 */
export async function storeCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return guarded(data, async () => {
    const location = storeLocation(data as StoreCredential);
    const vault = outboxVault(data as StoreCredential);
    outboundHostPolicy(data as StoreCredential);
    const sealed = await withStore(location, async (store) => {
      await store.transaction((r) => r.sources.get('default', 'credential-test'));
      return vault ? store.transaction((r) => r.destinations.listSealed()) : [];
    });
    const reachable = `the intake store is reachable (${store(data)})`;
    if (!vault) return ok(reachable);
    const opening = sealed.filter((row) => vault.keyIds.includes(row.keyId)).length;
    return ok(`${reachable}; outbox key ${vault.sealingKeyId}: ${opening} of ${sealed.length} sealed destinations are sealed with the keys given`);
  });
}

function store(data: Data): string {
  return data.backend === 'postgres' ? 'PostgreSQL' : `SQLite at ${storeLocation(data as StoreCredential)}`;
}

/** Validates the scheme settings and signs and verifies a probe with each secret. */
export async function sourceAuthCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return guarded(data, async () => {
    const parsed = authConfigSchema.safeParse(authInput(data as SourceAuthCredential));
    if (!parsed.success) return failed(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const check = checkAuthConfig(parsed.data);
    return check.ok ? ok(check.message) : failed(check.message);
  });
}

/** Checks the signing secret's format for its scheme. */
export async function signedWebhookCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return guarded(data, async () => {
    const headers = secretHeadersFrom(data.secretHeaders as string | undefined);
    const parsed = webhookDestinationSchema.safeParse({ kind: 'webhook', id: 'credential-test', url: 'http://127.0.0.1/', headers, signing: signingInput(data) });
    if (parsed.success) return ok(`the secret can sign ${String(data.scheme)} deliveries`);
    return failed(parsed.error.issues.map((issue) => issue.message).join('; '));
  });
}

export function signingInput(data: Data): Record<string, unknown> {
  if (data.scheme === 'none') return { scheme: 'none' };
  if (data.scheme === 'hmac-hex') return { scheme: 'hmac-hex', secret: data.secret ?? '', header: data.header || 'X-Signature' };
  return { scheme: 'standard-webhooks', secret: data.secret ?? '' };
}

/** Sends an empty (invalid) alert event: accepted token → validation error, refused token → 401. */
export async function alertSourceCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return guarded(data, async () => {
    const transport = new UndiciTransport();
    try {
      const check = await checkAlertSourceToken(transport, String(data.baseUrl || 'https://api.incident.io'), String(data.alertSourceConfigId ?? ''), await resolveSecret(String(data.token ?? '')));
      return check.ok ? ok(check.message) : failed(check.message);
    } finally {
      await transport.close();
    }
  });
}
