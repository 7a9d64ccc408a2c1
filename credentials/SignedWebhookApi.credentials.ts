import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The secret the Signed Webhook node signs deliveries with, and the headers that carry the receiver's tokens. */
export class SignedWebhookApi implements ICredentialType {
  name = 'signedWebhookApi';

  displayName = 'Signed Webhook API';

  documentationUrl = 'https://github.com/intakekit/n8n-nodes-incident-intake/blob/main/docs/n8n.md#credentials';

  icon = 'file:../nodes/SignedWebhook/signedWebhook.svg' as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Signature Scheme',
      name: 'scheme',
      type: 'options',
      options: [
        { name: 'Standard Webhooks', value: 'standard-webhooks', description: 'webhook-id, webhook-timestamp and webhook-signature headers' },
        { name: 'HMAC-SHA256 (Hex) Header', value: 'hmac-hex', description: 'Hex HMAC of the body in one header, for older receivers' },
        { name: 'None', value: 'none', description: 'Unsigned: only for receivers that cannot verify' },
      ],
      default: 'standard-webhooks',
    },
    {
      displayName: 'Secret',
      name: 'secret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      placeholder: 'whsec_…',
      displayOptions: { hide: { scheme: ['none'] } },
    },
    {
      displayName: 'Signature Header',
      name: 'header',
      type: 'string',
      default: 'X-Signature',
      displayOptions: { show: { scheme: ['hmac-hex'] } },
    },
    {
      displayName: 'Secret Headers',
      name: 'secretHeaders',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      placeholder: '{"Authorization": "Bearer env:RECEIVER_TOKEN"}',
      description:
        'JSON object of headers that carry tokens (Authorization, X-Api-Key, …), kept encrypted in this credential instead of in the workflow. A value may be a reference read at each attempt: env:NAME, file:/path, or either after Bearer/Basic/Token.',
    },
  ];
}
