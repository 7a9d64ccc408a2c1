import type { HostPolicyInput } from '../../core/delivery';
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

/** Variable with hosts every delivery node of this runtime may reach, for deployments configured by environment. */
export const OUTBOUND_ALLOW_ENV = 'INCIDENT_INTAKE_OUTBOUND_ALLOW';

const entries = (text: string | undefined) => (text ?? '').split(/[\s,]+/).filter(Boolean);

/**
 * Where a delivery node may send. Loopback, private, link-local and other special ranges are refused unless
 * allowed — by the node (Allowed hosts), for the whole runtime in settings.js
 * (`incidentIntake: { outbound: { allow, deny, allowOnly } }`), or in INCIDENT_INTAKE_OUTBOUND_ALLOW. A denied
 * entry wins over every allow.
 */
export function outboundHostPolicy(RED: NodeAPI, fields: OutboundHostFields): HostPolicyInput {
  const settings = (RED.settings as { incidentIntake?: { outbound?: OutboundSettings } }).incidentIntake?.outbound ?? {};
  return {
    allow: [...(settings.allow ?? []), ...entries(process.env[OUTBOUND_ALLOW_ENV]), ...entries(fields.allowHosts)],
    deny: [...(settings.deny ?? []), ...entries(fields.denyHosts)],
    allowOnly: settings.allowOnly === true,
  };
}
