import type { HttpTransport } from '../http-transport';
import { incidentIoRequest } from './incident-io-request';

export type AlertSourceCheck = { ok: boolean; message: string };

/**
 * Checks an HTTP alert source's token without creating an alert: an empty event is invalid, so incident.io
 * answers 4xx for it once the token is accepted, and 401/403 when it is not.
 */
export async function checkAlertSourceToken(transport: HttpTransport, baseUrl: string, alertSourceConfigId: string, token: string): Promise<AlertSourceCheck> {
  const path = `/v2/alert_events/http/${encodeURIComponent(alertSourceConfigId)}`;
  const response = await transport.send(incidentIoRequest(baseUrl, 'POST', path, token, 10_000, {}));
  if (response.status === 401 || response.status === 403) return { ok: false, message: `the alert source token was refused (HTTP ${response.status})` };
  if (response.status === 404) return { ok: false, message: 'no alert source with this config ID (HTTP 404)' };
  if (response.status >= 500) return { ok: false, message: `incident.io answered HTTP ${response.status}; try again later` };
  return { ok: true, message: 'the alert source accepted the token' };
}
