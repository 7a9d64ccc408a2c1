import type { Clock } from '../../clock';
import type { AttemptReport, DeliveryAdapter, DeliveryJob } from '../adapters/adapter';
import { exchange } from '../adapters/exchange';
import type { IncidentIoIncidentDestination } from '../destination-config';
import type { HttpRequest, HttpTransport } from '../http-transport';
import { createIncidentBody, editIncidentBody } from './incident-body';
import { incidentIoRequest } from './incident-io-request';
import { SeverityResolver } from './severity-resolver';

/** The remote-ref name under which the incident.io incident id is remembered per (destination, incident). */
export const INCIDENT_IO_INCIDENT_ID = 'incident_io.incident_id';

/**
 * Creates the incident on its first delivery and edits it afterwards (`POST /v2/incidents/{id}/actions/edit`),
 * using the id incident.io returned from the creation. An update for an incident incident.io has not
 * confirmed yet is sent as a creation: the idempotency key makes that safe.
 */
export class IncidentIoIncidentAdapter implements DeliveryAdapter {
  private readonly severities: SeverityResolver;

  constructor(
    private readonly destination: IncidentIoIncidentDestination,
    private readonly transport: HttpTransport,
    private readonly secrets: readonly string[],
    private readonly clock: Clock,
  ) {
    this.severities = new SeverityResolver(destination, () => this.send(this.request('GET', '/v1/severities')), clock);
  }

  async deliver(job: DeliveryJob): Promise<AttemptReport> {
    const canonical = job.event.incident.canonical;
    const severity = await this.severities.resolve(canonical.severity);
    if ('failed' in severity) return severity.failed;
    const remoteId = job.remoteRefs[INCIDENT_IO_INCIDENT_ID];
    if (remoteId !== undefined && job.event.kind !== 'incident.created') {
      const path = `/v2/incidents/${encodeURIComponent(remoteId)}/actions/edit`;
      const { json: _json, ...report } = await this.send(this.request('POST', path, editIncidentBody(canonical, this.destination, severity.severityId)));
      return report.classification.outcome === 'success' ? { ...report, remoteId } : report;
    }
    const { json, ...report } = await this.send(this.request('POST', '/v2/incidents', createIncidentBody(canonical, this.destination, severity.severityId)));
    const createdId = (json as { incident?: { id?: unknown } } | undefined)?.incident?.id;
    if (report.classification.outcome !== 'success' || typeof createdId !== 'string') return report;
    return { ...report, remoteId: createdId, remember: { [INCIDENT_IO_INCIDENT_ID]: createdId } };
  }

  private request(method: 'GET' | 'POST', path: string, body?: unknown): HttpRequest {
    return incidentIoRequest(this.destination.baseUrl, method, path, this.destination.apiKey, this.destination.policy.timeoutMs, body);
  }

  private send(request: HttpRequest) {
    return exchange(this.transport, request, this.secrets, this.clock);
  }
}
