import type { Clock } from '../../clock';
import { destinationSecrets, type DestinationConfig } from '../destination-config';
import type { HttpTransport } from '../http-transport';
import { IncidentIoAlertEventAdapter } from '../incident-io/alert-event-adapter';
import { IncidentIoIncidentAdapter } from '../incident-io/incident-adapter';
import { hasSecretReferences } from '../resolve-destination-secrets';
import type { DeliveryAdapter } from './adapter';
import { ResolvingAdapter } from './resolving-adapter';
import { WebhookAdapter } from './webhook-adapter';

function adapterWithValues(destination: DestinationConfig, transport: HttpTransport, clock: Clock): DeliveryAdapter {
  const secrets = destinationSecrets(destination);
  if (destination.kind === 'webhook') return new WebhookAdapter(destination, transport, secrets, clock);
  if (destination.target === 'alert_event') return new IncidentIoAlertEventAdapter(destination, transport, secrets, clock);
  return new IncidentIoIncidentAdapter(destination, transport, secrets, clock);
}

/** The adapter for a destination; one whose secrets are references resolves them at every attempt. */
export function adapterFor(destination: DestinationConfig, transport: HttpTransport, clock: Clock): DeliveryAdapter {
  if (!hasSecretReferences(destination)) return adapterWithValues(destination, transport, clock);
  return new ResolvingAdapter(destination, (resolved) => adapterWithValues(resolved, transport, clock));
}
