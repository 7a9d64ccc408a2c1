import type { INodeProperties } from 'n8n-workflow';

export const signedWebhookProperties: INodeProperties[] = [
  {
    displayName: 'Incident ID',
    name: 'incidentId',
    type: 'string',
    default: '={{ $json.id }}',
    required: true,
    description: 'The intake incident to deliver (from the trigger\'s Incident output or a promotion)',
  },
  {
    displayName: 'URL',
    name: 'url',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'https://receiver.example.com/incidents',
    description: 'The receiver. A URL that is itself a secret (a token in it) can be given as a reference: env:NAME or file:/path.',
  },
  {
    displayName: 'Method',
    name: 'method',
    type: 'options',
    options: [
      { name: 'PATCH', value: 'PATCH' },
      { name: 'POST', value: 'POST' },
      { name: 'PUT', value: 'PUT' },
    ],
    default: 'POST',
  },
  {
    displayName:
      'Header values below are saved in the workflow and go into every export. Put tokens (Authorization, X-Api-Key, …) in the Signed Webhook credential\'s Secret Headers, or give a reference such as env:NAME.',
    name: 'headersNotice',
    type: 'notice',
    default: '',
  },
  {
    displayName: 'Headers',
    name: 'headers',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: 'Add Header',
    description: 'Sent with every attempt; not for tokens (use the credential\'s Secret Headers). A header that looks like a secret still works but is flagged at each run.',
    options: [
      {
        displayName: 'Header',
        name: 'header',
        values: [
          { displayName: 'Name', name: 'name', type: 'string', default: '' },
          { displayName: 'Value', name: 'value', type: 'string', typeOptions: { password: true }, default: '' },
        ],
      },
    ],
  },
  {
    displayName: 'Excluded Attributes',
    name: 'excludeAttributes',
    type: 'string',
    default: '',
    placeholder: 'raw, labels.internal_note',
    description: 'Comma-separated dot paths removed from the incident before sending',
  },
  {
    displayName: 'Body Template',
    name: 'bodyTemplate',
    type: 'string',
    typeOptions: { rows: 6 },
    default: '',
    placeholder: '{ "text": "[" & data.canonical.severity & "] " & data.canonical.title }',
    description: 'JSONata over {type, timestamp, data}; its result is the JSON body. Empty: the standard event.',
  },
  {
    displayName: 'Destination ID',
    name: 'destinationId',
    type: 'string',
    default: '',
    description: 'Stable name of this receiver in the outbox (health, replays). Empty: derived from the URL.',
  },
  { displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default' },
];
