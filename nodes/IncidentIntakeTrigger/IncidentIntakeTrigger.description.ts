import type { INodeProperties } from 'n8n-workflow';
import { OVERRIDABLE_FIELDS } from '../../core/mapping/mapping-config';
import { PROVIDER_OPTIONS, SEVERITY_OPTIONS } from '../shared/options';

export const triggerProperties: INodeProperties[] = [
  {
    displayName: 'Path',
    name: 'path',
    type: 'string',
    default: '',
    placeholder: 'pagerduty-prod',
    description: "The webhook URL's path. Empty: a random ID.",
  },
  {
    displayName: 'Source ID',
    name: 'sourceId',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'pagerduty-prod',
    description: 'Stable name of this source in the intake store (letters, digits, dot, dash, underscore). Health, limits and the Incident Intake node refer to it.',
  },
  {
    displayName: 'Provider Preset',
    name: 'provider',
    type: 'options',
    options: PROVIDER_OPTIONS,
    default: 'generic',
    description: "Which sender's payloads this source receives; the preset maps them to the canonical incident",
  },
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    options: [
      { name: 'Review', value: 'review', description: 'New incidents wait on the Review output until promoted or rejected' },
      { name: 'Auto-Create', value: 'auto-create', description: 'Valid events create or update incidents at once (Incident output)' },
    ],
    default: 'review',
  },
  {
    displayName: 'Severity Filter',
    name: 'severityFilter',
    type: 'multiOptions',
    options: SEVERITY_OPTIONS,
    default: [],
    description: 'Only these severities go on; the rest are recorded as filtered. None selected: all.',
  },
  {
    displayName: 'Mapping Override',
    name: 'mapping',
    type: 'collection',
    placeholder: 'Add Mapping Setting',
    default: {},
    options: [
      {
        displayName: 'Custom Fields',
        name: 'customFields',
        type: 'fixedCollection',
        typeOptions: { multipleValues: true },
        default: {},
        description: 'Extra values kept as labels.&lt;name&gt;, each a JSONata expression per alert',
        options: [
          {
            displayName: 'Field',
            name: 'field',
            values: [
              { displayName: 'Name', name: 'name', type: 'string', default: '' },
              { displayName: 'JSONata', name: 'expression', type: 'string', default: '' },
            ],
          },
        ],
      },
      {
        displayName: 'Field Overrides',
        name: 'fieldOverrides',
        type: 'fixedCollection',
        typeOptions: { multipleValues: true },
        default: {},
        description: "Replace single canonical fields with your own JSONata ($payload and $candidate are bound)",
        options: [
          {
            displayName: 'Override',
            name: 'override',
            values: [
              {
                displayName: 'Field',
                name: 'field',
                type: 'options',
                options: OVERRIDABLE_FIELDS.map((field) => ({ name: field, value: field })),
                default: 'title',
              },
              { displayName: 'JSONata', name: 'expression', type: 'string', default: '' },
            ],
          },
        ],
      },
      {
        displayName: 'Instance',
        name: 'instance',
        type: 'string',
        default: '',
        description: 'Pins the instance (site, host or tenant in the source system) instead of reading it from the payload',
      },
      {
        displayName: 'JSONata Mapping',
        name: 'expression',
        type: 'string',
        typeOptions: { rows: 8 },
        default: '',
        description: "Replaces the preset's whole mapping: payload → one canonical incident or an array of them. Test it with Incident Intake → Mapping → Test.",
      },
      {
        displayName: 'Regulatory Refs Path',
        name: 'regulatoryRefsPath',
        type: 'string',
        default: '',
        placeholder: 'labels.dora_ref',
        description: 'JSONata per alert whose string(s) become regulatory references (DORA, NIS2)',
      },
      {
        displayName: 'Time Zone',
        name: 'timezone',
        type: 'string',
        default: '',
        placeholder: 'Europe/Berlin',
        description: 'Zone of times sent without an offset (Zabbix)',
      },
    ],
  },
  {
    displayName: 'Limits',
    name: 'limits',
    type: 'collection',
    placeholder: 'Add Limit',
    default: {},
    options: [
      { displayName: 'Max Body (KB)', name: 'maxBodyKb', type: 'number', default: 256, typeOptions: { minValue: 1 }, description: 'Larger requests are answered 413' },
      { displayName: 'Quarantine Window (Seconds)', name: 'quarantineWindowSeconds', type: 'number', default: 3600, typeOptions: { minValue: 1 } },
      { displayName: 'Quarantined Events Before Disabling', name: 'quarantineDisableCount', type: 'number', default: 50, typeOptions: { minValue: 1 } },
      { displayName: 'Requests per Day (Tenant)', name: 'tenantPerDay', type: 'number', default: 50000, description: 'Beyond this senders get 429 until midnight UTC' },
      { displayName: 'Requests per Hour (Source)', name: 'sourcePerHour', type: 'number', default: 3600, description: 'Beyond this the source is disabled as flooding (503)' },
    ],
  },
  {
    displayName: 'Options',
    name: 'sourceOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [
      { displayName: 'Source Name', name: 'sourceName', type: 'string', default: '', description: 'Display name; defaults to the source ID' },
      { displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default', description: 'Separates customers (MSPs) within one store' },
    ],
  },
  {
    // n8n reads `$parameter.options.binaryData` of a version-1 webhook node and, when it is set, leaves the
    // request body unread (webhook-helpers parseRequestBody). The trigger then reads the raw bytes itself,
    // under the source's cap and time limit, as Node-RED does: no JSON, form or multipart parsing by n8n,
    // no inflating, no 16 MB buffer before our limits apply.
    displayName: 'Raw Body',
    name: 'options',
    type: 'hidden',
    default: { binaryData: true },
  },
];
