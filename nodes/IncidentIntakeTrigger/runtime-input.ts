import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { RuntimeInput, RuntimeRequest } from '../shared/intake-runtime';
import { rotationGraceSeconds, type SourceAuthCredential } from '../shared/source-auth';
import { storeLocation, type StoreCredential } from '../shared/store-location';
import { sourceDefinitionInput, type TriggerSettings } from '../shared/trigger-settings';
import { wiredDeliveryTargets } from '../shared/wired-delivery-targets';

const SETTINGS = ['sourceId', 'provider', 'mode', 'severityFilter', 'mapping', 'limits', 'sourceOptions'] as const;

type Context = IHookFunctions | IWebhookFunctions;

/**
 * Tenant and display name were kept in `options` before that name was given to the hidden raw-body switch;
 * a node saved then still has them there.
 */
function legacyOptions(context: Context): TriggerSettings['options'] {
  const value = context.getNodeParameter('options', {}) as Record<string, unknown> | undefined;
  const { tenant, sourceName } = (value ?? {}) as { tenant?: string; sourceName?: string };
  return { ...(tenant !== undefined && { tenant }), ...(sourceName !== undefined && { sourceName }) };
}

/** Reads the trigger's parameters and credentials into what the intake runtime is built from. */
export async function runtimeInput(context: Context, key: string): Promise<RuntimeInput> {
  const values = Object.fromEntries(SETTINGS.map((name) => [name, context.getNodeParameter(name, undefined)])) as Record<string, unknown>;
  const settings = { ...values, options: { ...legacyOptions(context), ...(values.sourceOptions as object | undefined) } } as unknown as TriggerSettings;
  const auth = (await context.getCredentials('incidentIntakeSourceAuthApi')) as SourceAuthCredential;
  const store = (await context.getCredentials('incidentIntakeStoreApi')) as StoreCredential;
  const keys = [store.outboxEncryptionKey, store.previousOutboxEncryptionKey].map((value) => value?.trim() ?? '').filter(Boolean);
  const rotation = keys.length > 0 ? { keys, graceSeconds: rotationGraceSeconds(auth) } : undefined;
  return { key, definitionInput: sourceDefinitionInput(settings, auth), location: storeLocation(store), deliverTo: wiredDeliveryTargets(context).targets, ...(rotation && { rotation }) };
}

/**
 * The runtime lookup for one request: the probe is the node's stored parameters and credential references
 * as n8n holds them (nothing resolved, nothing decrypted), so a request on an unchanged node costs no
 * parameter resolution and no credential read.
 */
export function runtimeRequest(context: Context, key: string): RuntimeRequest {
  const node = context.getNode();
  return { key, probe: JSON.stringify([node.parameters, node.credentials ?? null]), read: () => runtimeInput(context, key) };
}
