import type { Clock } from '../../clock';
import type { AttemptReport, DeliveryAdapter, DeliveryJob } from '../adapters/adapter';
import { exchange } from '../adapters/exchange';
import type { IncidentIoAlertDestination } from '../destination-config';
import type { HttpTransport } from '../http-transport';
import { alertEventBody } from './alert-event-body';
import { incidentIoRequest } from './incident-io-request';

/** Every change becomes an alert event (firing, or resolved once the incident is); the incident identity dedupes. */
export class IncidentIoAlertEventAdapter implements DeliveryAdapter {
  constructor(
    private readonly destination: IncidentIoAlertDestination,
    private readonly transport: HttpTransport,
    private readonly secrets: readonly string[],
    private readonly clock: Clock,
  ) {}

  async deliver(job: DeliveryJob): Promise<AttemptReport> {
    const path = `/v2/alert_events/http/${encodeURIComponent(this.destination.alertSourceConfigId)}`;
    const request = incidentIoRequest(this.destination.baseUrl, 'POST', path, this.destination.alertSourceToken, this.destination.policy.timeoutMs, alertEventBody(job.event));
    const { json, ...report } = await exchange(this.transport, request, this.secrets, this.clock);
    const dedupeKey = (json as { deduplication_key?: unknown } | undefined)?.deduplication_key;
    if (report.classification.outcome === 'success' && typeof dedupeKey === 'string') report.remoteId = dedupeKey;
    return report;
  }
}
