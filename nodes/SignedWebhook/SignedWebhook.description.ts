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
  { displayName: 'URL', name: 'url', type: 'string', default: '', required: true, placeholder: 'https://receiver.example.com/incidents' },
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
    displayName: 'Headers',
    name: 'headers',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: 'Add Header',
    description: 'Sent with every attempt. Values other than plain content headers are treated as secrets and never stored.',
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
