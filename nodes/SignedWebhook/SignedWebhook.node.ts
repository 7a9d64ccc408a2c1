import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { DestinationConfigInput } from '../../core/delivery/destination-config';
import { exposedSecretWarnings, secretHeadersFrom } from '../../core/delivery/secret-headers';
import { signedWebhookCredentialTest, signingInput, storeCredentialTest } from '../shared/credential-tests';
import { executeDeliveries } from '../shared/deliver';
import { deliveryPolicy, deliveryPolicyField } from '../shared/delivery-policy-fields';
import { signedWebhookDestinationId } from './destination-id';
import { signedWebhookProperties } from './SignedWebhook.description';

const MOVE_IT = "move it into the Signed Webhook credential's Secret Headers, or use a reference such as env:NAME";

/** A secret in a plain parameter keeps working; every run says so (in the log and on the node's output). */
function warn(fn: IExecuteFunctions, warning: string): void {
  const message = `Signed Webhook: ${warning}`;
  fn.logger.warn(message);
  if (typeof fn.addExecutionHints === 'function') fn.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

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
    properties: [...signedWebhookProperties, deliveryPolicyField('webhook')],
  };

  methods = { credentialTest: { signedWebhookTest: signedWebhookCredentialTest, incidentIntakeStoreTest: storeCredentialTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const credential = await this.getCredentials('signedWebhookApi');
    const signing = signingInput(credential);
    const warned = new Set<string>();
    return executeDeliveries(this, async (item) => {
      const url = String(this.getNodeParameter('url', item));
      const headers = (this.getNodeParameter('headers.header', item, []) as Array<{ name: string; value: string }>).filter((header) => header.name);
      const plain = Object.fromEntries(headers.map(({ name, value }) => [name, value]));
      for (const warning of exposedSecretWarnings({ headers: plain, url }, MOVE_IT)) {
        if (warned.has(warning)) continue;
        warned.add(warning);
        warn(this, warning);
      }
      const excluded = String(this.getNodeParameter('excludeAttributes', item, ''));
      const bodyTemplate = String(this.getNodeParameter('bodyTemplate', item, '')).trim();
      const destination: DestinationConfigInput = {
        kind: 'webhook',
        tenant: String(this.getNodeParameter('tenant', item, 'default')),
        id: signedWebhookDestinationId(String(this.getNodeParameter('destinationId', item, '')), url),
        url,
        method: this.getNodeParameter('method', item) as 'POST',
        headers: { ...plain, ...secretHeadersFrom(credential.secretHeaders as string | undefined) },
        excludeAttributes: excluded.split(',').map((path) => path.trim()).filter(Boolean),
        ...(bodyTemplate && { bodyTemplate }),
        signing: signing as never,
        policy: deliveryPolicy(this.getNodeParameter('policy', item, {}) as object),
      };
      return { incidentId: String(this.getNodeParameter('incidentId', item)), destination };
    });
  }
}
