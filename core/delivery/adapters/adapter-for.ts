import type { Clock } from '../../clock';
import { destinationSecrets, type DestinationConfig } from '../destination-config';
import type { HttpTransport } from '../http-transport';
import { IncidentIoAlertEventAdapter } from '../incident-io/alert-event-adapter';
import { IncidentIoIncidentAdapter } from '../incident-io/incident-adapter';
import type { DeliveryAdapter } from './adapter';
import { WebhookAdapter } from './webhook-adapter';

export function adapterFor(destination: DestinationConfig, transport: HttpTransport, clock: Clock): DeliveryAdapter {
  const secrets = destinationSecrets(destination);
  if (destination.kind === 'webhook') return new WebhookAdapter(destination, transport, secrets, clock);
  if (destination.target === 'alert_event') return new IncidentIoAlertEventAdapter(destination, transport, secrets, clock);
  return new IncidentIoIncidentAdapter(destination, transport, secrets, clock);
}
