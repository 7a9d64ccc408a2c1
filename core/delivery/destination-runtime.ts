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

/** incident.io: 120 alert events per minute per alert source, 1,200 API requests per minute per key. */
export function kindDefaults(destination: DestinationConfig): KindDefaults {
  if (destination.kind === 'webhook') return { ordering: 'none', rateLimitPerMinute: null };
  return { ordering: 'per-incident', rateLimitPerMinute: destination.target === 'alert_event' ? 120 : 1_200 };
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
