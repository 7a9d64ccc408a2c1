import type { HostPolicyInput } from '../../core/delivery';
import { environmentAllowedHosts, hostListEntries } from '../../core/delivery/host-list-text';
import type { NodeAPI } from './node-red-types';

/** The delivery nodes' editor fields that decide which hosts they may reach. */
export interface OutboundHostFields {
  /** Comma- or space-separated host names, `*.domain`, IP addresses or CIDR ranges. */
  allowHosts?: string;
  denyHosts?: string;
}

interface OutboundSettings {
  allow?: string[];
  deny?: string[];
  allowOnly?: boolean;
}

/**
 * Where a delivery node may send. Loopback, private, link-local and other special ranges are refused unless
 * allowed — by the node (Allowed hosts), for the whole runtime in settings.js
 * (`incidentIntake: { outbound: { allow, deny, allowOnly } }`), or in INCIDENT_INTAKE_OUTBOUND_ALLOW. A denied
 * entry wins over every allow.
 */
export function outboundHostPolicy(RED: NodeAPI, fields: OutboundHostFields): HostPolicyInput {
  const settings = (RED.settings as { incidentIntake?: { outbound?: OutboundSettings } }).incidentIntake?.outbound ?? {};
  return {
    allow: [...(settings.allow ?? []), ...environmentAllowedHosts(), ...hostListEntries(fields.allowHosts)],
    deny: [...(settings.deny ?? []), ...hostListEntries(fields.denyHosts)],
    allowOnly: settings.allowOnly === true,
  };
}
