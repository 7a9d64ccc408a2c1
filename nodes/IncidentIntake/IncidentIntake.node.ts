import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { Store } from '../../core/store/store';
import { sourceAuthCredentialTest, storeCredentialTest } from '../shared/credential-tests';
import { nodeError } from '../shared/node-errors';
import { acquireStore } from '../shared/store-cache';
import { storeLocation, type StoreCredential } from '../shared/store-location';
import { wiredDeliveryTargets } from '../shared/wired-delivery-targets';
import { auditResource } from './resources/audit';
import { deliveryResource } from './resources/delivery';
import { eventResource } from './resources/event';
import { configuredOutputs, SUBMIT_OUTPUTS } from './resources/event-submit';
import { incidentResource } from './resources/incident';
import { mappingResource } from './resources/mapping';
import type { OperationContext, Resource } from './resources/operation';
import { sourceResource } from './resources/source';
import { SubmitSources } from './resources/submit-sources';

const RESOURCES: Record<string, Resource> = { audit: auditResource, event: eventResource, source: sourceResource, incident: incidentResource, mapping: mappingResource, delivery: deliveryResource };

export class IncidentIntake implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Incident Intake',
    name: 'incidentIntake',
    icon: 'file:incidentIntake.svg',
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Submit and review events, manage sources, classify incidents, replay deliveries, verify the audit trail and test mappings in the incident intake store',
    defaults: { name: 'Incident Intake' },
    inputs: ['main'],
    outputs: `={{(${configuredOutputs})($parameter)}}`,
    usableAsTool: true,
    credentials: [
      { name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' },
      {
        name: 'incidentIntakeSourceAuthApi',
        required: true,
        testedBy: 'incidentIntakeSourceAuthTest',
        displayOptions: { show: { resource: ['source'], operation: ['rotateSecret'] } },
      },
      {
        name: 'incidentIntakeSourceAuthApi',
        required: true,
        displayOptions: { show: { resource: ['event'], operation: ['submit'], messageTrust: ['signature'] } },
      },
    ],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Audit', value: 'audit' },
          { name: 'Delivery', value: 'delivery' },
          { name: 'Event', value: 'event' },
          { name: 'Incident', value: 'incident' },
          { name: 'Mapping', value: 'mapping' },
          { name: 'Source', value: 'source' },
        ],
        default: 'event',
      },
      ...Object.values(RESOURCES).flatMap((resource) => [resource.operations, ...resource.fields]),
      {
        displayName: 'Tenant',
        name: 'tenant',
        type: 'string',
        default: 'default',
        description: 'The tenant whose records to work on (MSPs: one per customer)',
        displayOptions: { hide: { resource: ['mapping'] } },
      },
    ],
  };

  methods = { credentialTest: { incidentIntakeStoreTest: storeCredentialTest, incidentIntakeSourceAuthTest: sourceAuthCredentialTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const resource = this.getNodeParameter('resource', 0) as string;
    const submitting = resource === 'event' && this.getNodeParameter('operation', 0) === 'submit';
    const lease = resource === 'mapping' ? undefined : await acquireStore(storeLocation((await this.getCredentials('incidentIntakeStoreApi')) as StoreCredential));
    const submitSources = new SubmitSources();
    // The delivery nodes after this one, read once per execution: Submit and Promote enqueue for them.
    const deliverTo = wiredDeliveryTargets(this).targets;
    try {
      const outputs: INodeExecutionData[][] = submitting ? SUBMIT_OUTPUTS.map(() => []) : [[]];
      for (let item = 0; item < items.length; item++) {
        for (const result of await runItem(this, item, resource, { store: lease?.store, submitSources, deliverTo })) {
          outputs[submitting ? submitOutput(result) : 0]!.push(result);
        }
      }
      return outputs;
    } finally {
      await submitSources.close();
      await lease?.release();
    }
  }
}

/** Submit's output for an item: its route; an error kept by Continue On Fail is a refusal. */
function submitOutput(result: INodeExecutionData): number {
  const index = SUBMIT_OUTPUTS.indexOf(result.json.route as never);
  return index === -1 ? SUBMIT_OUTPUTS.indexOf('refused') : index;
}

async function runItem(fn: IExecuteFunctions, item: number, resource: string, shared: Pick<OperationContext, 'submitSources' | 'deliverTo'> & { store: Store | undefined }): Promise<INodeExecutionData[]> {
  try {
    const operation = fn.getNodeParameter('operation', item) as string;
    const run = RESOURCES[resource]?.run[operation];
    if (!run) throw new NodeOperationError(fn.getNode(), `unknown operation ${resource}.${operation}`, { itemIndex: item });
    const tenant = resource === 'mapping' ? 'preview' : (fn.getNodeParameter('tenant', item, 'default') as string);
    const result = await run({ fn, item, store: shared.store!, tenant, submitSources: shared.submitSources, deliverTo: shared.deliverTo });
    return (Array.isArray(result) ? result : [result]).map((json) => ({ json: json as IDataObject, pairedItem: { item } }));
  } catch (error) {
    const failure = nodeError(fn.getNode(), error, [], item);
    if (fn.continueOnFail()) return [{ json: { error: failure.message }, pairedItem: { item } }];
    throw failure;
  }
}
