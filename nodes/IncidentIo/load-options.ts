import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

interface Named {
  id: string;
  name: string;
  description?: string;
}

/** One incident.io list endpoint as dropdown options. */
async function list(context: ILoadOptionsFunctions, path: string, key: string): Promise<INodePropertyOptions[]> {
  const credential = await context.getCredentials('incidentIoApi');
  const baseUrl = String(credential.baseUrl || 'https://api.incident.io').replace(/\/+$/, '');
  const response = (await context.helpers.httpRequestWithAuthentication.call(context, 'incidentIoApi', { url: `${baseUrl}${path}`, json: true })) as Record<string, Named[]>;
  return (response[key] ?? []).map((entry) => ({ name: entry.name, value: entry.id, ...(entry.description && { description: entry.description }) }));
}

export const incidentIoLoadOptions = {
  getSeverities(this: ILoadOptionsFunctions) {
    return list(this, '/v1/severities', 'severities');
  },
  getIncidentTypes(this: ILoadOptionsFunctions) {
    return list(this, '/v1/incident_types', 'incident_types');
  },
  getStatuses(this: ILoadOptionsFunctions) {
    return list(this, '/v1/incident_statuses', 'incident_statuses');
  },
};
