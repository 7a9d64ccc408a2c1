import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { RuntimeInput } from '../shared/intake-runtime';
import type { SourceAuthCredential } from '../shared/source-auth';
import { storeLocation, type StoreCredential } from '../shared/store-location';
import { sourceDefinitionInput, type TriggerSettings } from '../shared/trigger-settings';

const SETTINGS = ['sourceId', 'provider', 'mode', 'severityFilter', 'mapping', 'limits', 'options'] as const;

/** Reads the trigger's parameters and credentials into what the intake runtime is built from. */
export async function runtimeInput(context: IHookFunctions | IWebhookFunctions, key: string): Promise<RuntimeInput> {
  const settings = Object.fromEntries(SETTINGS.map((name) => [name, context.getNodeParameter(name, undefined)])) as unknown as TriggerSettings;
  const auth = (await context.getCredentials('incidentIntakeSourceAuthApi')) as SourceAuthCredential;
  const store = (await context.getCredentials('incidentIntakeStoreApi')) as StoreCredential;
  return { key, definitionInput: sourceDefinitionInput(settings, auth), location: storeLocation(store) };
}
