import type { INodeProperties } from 'n8n-workflow';
import { INCIDENT_STATUSES } from '../../core/incident/canonical-incident';
import { SEVERITY_OPTIONS } from '../shared/options';

const forIncident = (operation: string[]) => ({ show: { resource: ['incident'], operation } });
const both = ['create', 'edit'];

export const incidentIoProperties: INodeProperties[] = [
  {
    displayName: 'Resource',
    name: 'resource',
    type: 'options',
    noDataExpression: true,
    options: [
      { name: 'Alert Event', value: 'alertEvent' },
      { name: 'Incident', value: 'incident' },
    ],
    default: 'alertEvent',
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['alertEvent'] } },
    options: [{ name: 'Send', value: 'send', action: 'Send an alert event', description: 'Firing or resolved, deduplicated on the incident' }],
    default: 'send',
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['incident'] } },
    options: [
      { name: 'Create', value: 'create', action: 'Create an incident' },
      { name: 'Edit', value: 'edit', action: 'Edit an incident', description: 'Send the latest version of an incident created earlier' },
    ],
    default: 'create',
  },
  {
    displayName: 'Intake Incident ID',
    name: 'incidentId',
    type: 'string',
    default: '={{ $json.id }}',
    required: true,
    description: 'The intake incident to deliver (from the trigger\'s Incident output or a promotion)',
  },
  {
    displayName: 'Visibility',
    name: 'visibility',
    type: 'options',
    options: [
      { name: 'Public', value: 'public' },
      { name: 'Private', value: 'private' },
    ],
    default: 'public',
    displayOptions: forIncident(both),
  },
  {
    displayName: 'Incident Mode',
    name: 'mode',
    type: 'options',
    options: [
      { name: 'Standard', value: 'standard' },
      { name: 'Retrospective', value: 'retrospective' },
      { name: 'Test', value: 'test' },
      { name: 'Tutorial', value: 'tutorial' },
    ],
    default: 'standard',
    displayOptions: forIncident(both),
  },
  {
    displayName: 'Incident Type Name or ID',
    name: 'incidentTypeId',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getIncidentTypes' },
    default: '',
    description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
    displayOptions: forIncident(both),
  },
  {
    displayName: 'Severities',
    name: 'severities',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: 'Add Severity Mapping',
    description: 'Canonical severity → incident.io severity. Unmapped ones are matched by name (Critical, Major, Minor).',
    displayOptions: forIncident(both),
    options: [
      {
        displayName: 'Severity',
        name: 'severity',
        values: [
          { displayName: 'Canonical Severity', name: 'canonical', type: 'options', options: SEVERITY_OPTIONS, default: 'critical' },
          {
            displayName: 'incident.io Severity Name or ID',
            name: 'id',
            type: 'options',
            typeOptions: { loadOptionsMethod: 'getSeverities' },
            default: '',
            description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
          },
        ],
      },
    ],
  },
  {
    displayName: 'Statuses',
    name: 'statuses',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: 'Add Status Mapping',
    description: 'Canonical status → incident.io status; unmapped statuses are not sent',
    displayOptions: forIncident(both),
    options: [
      {
        displayName: 'Status',
        name: 'status',
        values: [
          { displayName: 'Canonical Status', name: 'canonical', type: 'options', options: INCIDENT_STATUSES.map((value) => ({ name: value, value })), default: 'open' },
          {
            displayName: 'incident.io Status Name or ID',
            name: 'id',
            type: 'options',
            typeOptions: { loadOptionsMethod: 'getStatuses' },
            default: '',
            description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
          },
        ],
      },
    ],
  },
  {
    displayName: 'Notify Incident Channel',
    name: 'notifyIncidentChannel',
    type: 'boolean',
    default: true,
    description: 'Whether edits are announced in the incident channel',
    displayOptions: forIncident(['edit']),
  },
  {
    displayName: 'Destination ID',
    name: 'destinationId',
    type: 'string',
    default: 'incident-io',
    description: 'Stable name of this destination in the outbox (health, replays, remembered incident.io IDs)',
  },
  { displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default' },
];
