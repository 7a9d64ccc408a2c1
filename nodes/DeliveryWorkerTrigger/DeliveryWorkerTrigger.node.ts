import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import type { DeliveryResult } from '../../core/delivery/delivery-result';
import { storeCredentialTest } from '../shared/credential-tests';
import { startDelivering } from '../shared/delivery-hub';
import { storeLocation, type StoreCredential } from '../shared/store-location';

const EMIT: Record<string, (result: DeliveryResult) => boolean> = {
  final: (result) => result.final,
  failures: (result) => result.status === 'dead_letter',
  all: () => true,
};

export class DeliveryWorkerTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Delivery Worker Trigger',
    name: 'deliveryWorkerTrigger',
    icon: 'file:deliveryWorker.svg',
    group: ['trigger'],
    version: 1,
    subtitle: '={{"emits " + $parameter["emit"] + " results"}}',
    description: 'Runs the delivery outbox (retries, Retry-After, dead letters) while the workflow is active and emits delivery results',
    defaults: { name: 'Delivery Worker Trigger' },
    inputs: [],
    outputs: ['main'],
    credentials: [{ name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' }],
    properties: [
      {
        displayName: 'Emit',
        name: 'emit',
        type: 'options',
        options: [
          { name: 'Final Results', value: 'final', description: 'Delivered and dead-lettered deliveries' },
          { name: 'Failures Only', value: 'failures', description: 'Dead-lettered deliveries: alert on these' },
          { name: 'Every Attempt', value: 'all', description: 'Also each scheduled retry' },
        ],
        default: 'final',
      },
      {
        displayName: 'Deliveries are sent for the destinations that Signed Webhook and incident.io nodes have used since n8n started; keep one active workflow with this trigger per n8n instance',
        name: 'notice',
        type: 'notice',
        default: '',
      },
    ],
  };

  methods = { credentialTest: { incidentIntakeStoreTest: storeCredentialTest } };

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    const location = storeLocation((await this.getCredentials('incidentIntakeStoreApi')) as StoreCredential);
    const wanted = EMIT[this.getNodeParameter('emit', 'final') as string] ?? EMIT.final!;
    const stop = await startDelivering(location, (result) => {
      if (wanted(result)) this.emit([[{ json: result as unknown as IDataObject }]]);
    });
    return { closeFunction: stop };
  }
}
