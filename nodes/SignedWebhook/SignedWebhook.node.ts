import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { DestinationConfigInput } from '../../core/delivery/destination-config';
import { signedWebhookCredentialTest, signingInput, storeCredentialTest } from '../shared/credential-tests';
import { executeDeliveries } from '../shared/deliver';
import { deliveryPolicy, deliveryPolicyField } from '../shared/delivery-policy-fields';
import { signedWebhookProperties } from './SignedWebhook.description';

export class SignedWebhook implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Signed Webhook',
    name: 'signedWebhook',
    icon: 'file:signedWebhook.svg',
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
    description: 'Delivers an incident as signed JSON to any URL through the durable outbox (retries with Retry-After, dead letters)',
    defaults: { name: 'Signed Webhook' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: [
      { name: 'signedWebhookApi', required: true, testedBy: 'signedWebhookTest' },
      { name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' },
    ],
    properties: [...signedWebhookProperties, deliveryPolicyField],
  };

  methods = { credentialTest: { signedWebhookTest: signedWebhookCredentialTest, incidentIntakeStoreTest: storeCredentialTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const signing = signingInput(await this.getCredentials('signedWebhookApi'));
    return executeDeliveries(this, async (item) => {
      const url = String(this.getNodeParameter('url', item));
      const headers = (this.getNodeParameter('headers.header', item, []) as Array<{ name: string; value: string }>).filter((header) => header.name);
      const excluded = String(this.getNodeParameter('excludeAttributes', item, ''));
      const bodyTemplate = String(this.getNodeParameter('bodyTemplate', item, '')).trim();
      const destination: DestinationConfigInput = {
        kind: 'webhook',
        tenant: String(this.getNodeParameter('tenant', item, 'default')),
        id: String(this.getNodeParameter('destinationId', item, '')).trim() || `webhook-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
        url,
        method: this.getNodeParameter('method', item) as 'POST',
        headers: Object.fromEntries(headers.map(({ name, value }) => [name, value])),
        excludeAttributes: excluded.split(',').map((path) => path.trim()).filter(Boolean),
        ...(bodyTemplate && { bodyTemplate }),
        signing: signing as never,
        policy: deliveryPolicy(this.getNodeParameter('policy', item, {}) as object),
      };
      return { incidentId: String(this.getNodeParameter('incidentId', item)), destination };
    });
  }
}
