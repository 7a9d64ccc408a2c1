import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { DestinationConfigInput } from '../../core/delivery/destination-config';
import { alertSourceCredentialTest, storeCredentialTest } from '../shared/credential-tests';
import { executeDeliveries, type DeliveryRequest } from '../shared/deliver';
import { deliveryPolicy, deliveryPolicyField } from '../shared/delivery-policy-fields';
import { incidentIoProperties } from './IncidentIo.description';
import { incidentIoLoadOptions } from './load-options';

type Row = { canonical: string; id: string };

export class IncidentIo implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'incident.io',
    name: 'incidentIo',
    icon: 'file:incidentIo.svg',
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Sends alert events and creates or edits incidents in incident.io through the durable outbox',
    defaults: { name: 'incident.io' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: [
      { name: 'incidentIoAlertSourceApi', required: true, testedBy: 'incidentIoAlertSourceTest', displayOptions: { show: { resource: ['alertEvent'] } } },
      { name: 'incidentIoApi', required: true, displayOptions: { show: { resource: ['incident'] } } },
      { name: 'incidentIntakeStoreApi', required: true, testedBy: 'incidentIntakeStoreTest' },
    ],
    properties: [...incidentIoProperties, deliveryPolicyField('incident-io')],
  };

  methods = {
    loadOptions: incidentIoLoadOptions,
    credentialTest: { incidentIoAlertSourceTest: alertSourceCredentialTest, incidentIntakeStoreTest: storeCredentialTest },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const resource = this.getNodeParameter('resource', 0) as string;
    const credential = await this.getCredentials(resource === 'alertEvent' ? 'incidentIoAlertSourceApi' : 'incidentIoApi');
    return executeDeliveries(this, async (item): Promise<DeliveryRequest> => {
      const common = {
        kind: 'incident-io' as const,
        tenant: String(this.getNodeParameter('tenant', item, 'default')),
        id: String(this.getNodeParameter('destinationId', item, 'incident-io')),
        baseUrl: String(credential.baseUrl || 'https://api.incident.io'),
        policy: deliveryPolicy(this.getNodeParameter('policy', item, {}) as object),
      };
      const incidentId = String(this.getNodeParameter('incidentId', item));
      if (resource === 'alertEvent') {
        const destination: DestinationConfigInput = { ...common, target: 'alert_event', alertSourceConfigId: String(credential.alertSourceConfigId), alertSourceToken: String(credential.token) };
        return { incidentId, destination };
      }
      const operation = this.getNodeParameter('operation', item) as string;
      const rows = (name: string) => (this.getNodeParameter(name, item, []) as Row[]).filter((row) => row.id);
      const incidentTypeId = String(this.getNodeParameter('incidentTypeId', item, ''));
      const destination: DestinationConfigInput = {
        ...common,
        target: 'incident',
        apiKey: String(credential.apiKey),
        visibility: this.getNodeParameter('visibility', item) as 'public',
        mode: this.getNodeParameter('mode', item) as 'standard',
        severityIds: Object.fromEntries(rows('severities.severity').map((row) => [row.canonical, row.id])),
        statusIds: Object.fromEntries(rows('statuses.status').map((row) => [row.canonical, row.id])),
        ...(incidentTypeId && { incidentTypeId }),
        notifyIncidentChannel: operation === 'edit' ? Boolean(this.getNodeParameter('notifyIncidentChannel', item, true)) : true,
      };
      return { incidentId, destination, ...(operation === 'create' && { kind: 'incident.created' as const }) };
    });
  }
}
