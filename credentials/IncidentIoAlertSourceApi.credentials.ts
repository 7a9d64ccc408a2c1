import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** An incident.io HTTP alert source: its config id and its own secret token (not an API key). */
export class IncidentIoAlertSourceApi implements ICredentialType {
  name = 'incidentIoAlertSourceApi';

  displayName = 'incident.io Alert Source API';

  documentationUrl = 'https://api-docs.incident.io/';

  icon = 'file:../nodes/IncidentIo/incidentIo.svg' as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Alert Source Config ID',
      name: 'alertSourceConfigId',
      type: 'string',
      default: '',
      required: true,
      description: 'The ID in the alert source URL: /v2/alert_events/http/{ID}',
    },
    {
      displayName: 'Token',
      name: 'token',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: 'https://api.incident.io',
      description: 'Change only for a proxy or a test server',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
  };
}
