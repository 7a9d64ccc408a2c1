import type { ICredentialType, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { IncidentIntakeSourceAuthApi } from '../../credentials/IncidentIntakeSourceAuthApi.credentials';
import { IncidentIntakeStoreApi } from '../../credentials/IncidentIntakeStoreApi.credentials';
import { IncidentIoAlertSourceApi } from '../../credentials/IncidentIoAlertSourceApi.credentials';
import { IncidentIoApi } from '../../credentials/IncidentIoApi.credentials';
import { SignedWebhookApi } from '../../credentials/SignedWebhookApi.credentials';
import { DeliveryWorkerTrigger } from '../../nodes/DeliveryWorkerTrigger/DeliveryWorkerTrigger.node';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { IncidentIntakeTrigger } from '../../nodes/IncidentIntakeTrigger/IncidentIntakeTrigger.node';
import { IncidentIo } from '../../nodes/IncidentIo/IncidentIo.node';
import { SignedWebhook } from '../../nodes/SignedWebhook/SignedWebhook.node';

const PACKAGE = '@intakekit/n8n-nodes-incident-intake';

/** The package's own node descriptions, by the type name a workflow uses. */
export const NODE_DESCRIPTIONS: Record<string, INodeTypeDescription> = Object.fromEntries(
  [new IncidentIntakeTrigger(), new IncidentIntake(), new IncidentIo(), new SignedWebhook(), new DeliveryWorkerTrigger()].map((node) => [`${PACKAGE}.${node.description.name}`, node.description]),
);

/** n8n's built-in credential for the Webhook node's header auth has these two fields. */
const httpHeaderAuth = { name: 'httpHeaderAuth', properties: [{ name: 'name', type: 'string' }, { name: 'value', type: 'string' }] } as unknown as ICredentialType;

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
  [new IncidentIntakeSourceAuthApi(), new IncidentIntakeStoreApi(), new IncidentIoApi(), new IncidentIoAlertSourceApi(), new SignedWebhookApi(), httpHeaderAuth].map((type) => [type.name, type]),
);

/**
 * Every parameter a rendered node sets must be one its description declares, with an allowed option value:
 * names the node does not know would be dropped silently by n8n on import.
 */
export function unknownParameters(parameters: Record<string, unknown>, properties: readonly INodeProperties[], at = ''): string[] {
  return Object.entries(parameters).flatMap(([name, value]) => {
    const candidates = properties.filter((property) => property.name === name);
    if (candidates.length === 0) return [`${at}${name}: not a parameter`];
    const property = candidates[0]!;
    if (property.type === 'collection') return unknownParameters(value as Record<string, unknown>, property.options as INodeProperties[], `${at}${name}.`);
    if (property.type === 'fixedCollection') {
      return Object.entries(value as Record<string, Array<Record<string, unknown>>>).flatMap(([group, rows]) => {
        const option = (property.options as Array<{ name: string; values: INodeProperties[] }>).find((candidate) => candidate.name === group);
        return option ? rows.flatMap((row) => unknownParameters(row, option.values, `${at}${name}.${group}.`)) : [`${at}${name}.${group}: not a group`];
      });
    }
    if (property.type === 'options' && typeof value === 'string' && !value.startsWith('=') && !property.typeOptions?.loadOptionsMethod) {
      const allowed = candidates.flatMap((candidate) => (candidate.options as Array<{ value: unknown }>).map((option) => option.value));
      return allowed.includes(value) ? [] : [`${at}${name}: "${value}" is not an option`];
    }
    return [];
  });
}
