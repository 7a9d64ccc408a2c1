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
 * 110/min with bursts of 10, and 1,100/min with bursts of 100.
 */
export function kindDefaults(destination: DestinationConfig): KindDefaults {
  if (destination.kind === 'webhook') return { ordering: 'none', rateLimit: null };
  const rateLimit = destination.target === 'alert_event' ? { perMinute: 110, burst: 10 } : { perMinute: 1_100, burst: 100 };
  return { ordering: 'per-incident', rateLimit };
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
