import { environmentAllowedHosts, hostListEntries, OUTBOUND_ALLOW_ENV } from '../../core/delivery/host-list-text';
import { hostPolicySchema, type HostPolicyInput } from '../../core/delivery/host-policy';
import type { StoreCredential } from './store-location';

/**
 * Which hosts deliveries through a store may reach: loopback, private, link-local and other special ranges
 * are refused unless allowed — in the store credential (*Allowed Delivery Hosts*, *Denied Delivery Hosts*,
 * *Only Allowed Hosts*) or for the whole instance in INCIDENT_INTAKE_OUTBOUND_ALLOW. A denied entry wins over
 * every allow. The store credential is the one setting every delivery node and the Delivery Worker Trigger
 * share, so first attempts and the worker's retries (after a restart too) follow the same policy.
 * Throws a RangeError naming the field when an entry is not a host, address or CIDR range.
 */
export function outboundHostPolicy(credential: StoreCredential): HostPolicyInput {
  const input = {
    allow: [...environmentAllowedHosts(), ...hostListEntries(credential.allowedDeliveryHosts)],
    deny: hostListEntries(credential.deniedDeliveryHosts),
    allowOnly: credential.onlyAllowedHosts === true,
  };
  const parsed = hostPolicySchema.safeParse(input);
  if (!parsed.success) {
    const field = (path: PropertyKey[]) => (path[0] === 'deny' ? 'Denied Delivery Hosts' : `Allowed Delivery Hosts (or ${OUTBOUND_ALLOW_ENV})`);
    throw new RangeError(`intake store credential: ${parsed.error.issues.map((issue) => `${field(issue.path)}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
