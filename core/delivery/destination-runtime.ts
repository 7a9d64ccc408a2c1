import type { Clock } from '../clock';
import type { DeliveryAdapter } from './adapters/adapter';
import { adapterFor } from './adapters/adapter-for';
import { effectivePolicy, type EffectivePolicy, type KindDefaults } from './delivery-policy';
import { destinationSchema, destinationSecrets, type DestinationConfig, type DestinationConfigInput } from './destination-config';
import type { HttpTransport } from './http-transport';

/** A destination as the worker uses it: validated config, effective policy, adapter, secrets to redact. */
export interface DestinationRuntime {
  config: DestinationConfig;
  policy: EffectivePolicy;
  adapter: DeliveryAdapter;
  secrets: readonly string[];
}

/**
 * incident.io allows 120 alert events per minute per alert source and 1,200 API requests per minute per key.
 * A bucket lets burst + perMinute through in any one minute, so the defaults keep that sum at the limit:
 * 110/min with bursts of 10, and 1,100/min with bursts of 100. Alert events draw from one bucket per alert
 * source, however many destinations (nodes, tenants, processes) send into it.
 */
export function kindDefaults(destination: DestinationConfig): KindDefaults {
  const ownBucket = destinationBucket(destination.tenant, destination.id);
  if (destination.kind === 'webhook') return { ordering: 'none', rateLimit: null, rateBucket: ownBucket };
  if (destination.target === 'alert_event') {
    return { ordering: 'per-incident', rateLimit: { perMinute: 110, burst: 10 }, rateBucket: alertSourceBucket(destination.baseUrl, destination.alertSourceConfigId) };
  }
  return { ordering: 'per-incident', rateLimit: { perMinute: 1_100, burst: 100 }, rateBucket: ownBucket };
}

/** The bucket of a destination that shares it with no other. */
export function destinationBucket(tenant: string, id: string): string {
  return `destination:${encodeURIComponent(tenant)}:${encodeURIComponent(id)}`;
}

/** The bucket of one incident.io alert source. */
export function alertSourceBucket(baseUrl: string, alertSourceConfigId: string): string {
  return `incident-io:${new URL(baseUrl).origin}:alert-source:${alertSourceConfigId}`;
}

export function destinationRuntime(input: DestinationConfigInput | DestinationConfig, transport: HttpTransport, clock: Clock): DestinationRuntime {
  const config = destinationSchema.parse(input);
  return {
    config,
    policy: effectivePolicy(config.policy, kindDefaults(config)),
    adapter: adapterFor(config, transport, clock),
    secrets: destinationSecrets(config),
  };
}
