import { z } from 'zod';
import { matchesAddress, matchesName, normaliseHost, parseHostEntries, type HostEntries } from './host-entries';
import { specialRange } from './special-ranges';

const entriesSchema = z.array(z.string().min(1)).default([]);

/**
 * Which hosts deliveries may reach, checked before connecting and on every address a name resolves to, so a
 * flow (or a receiver's DNS) cannot point deliveries at internal services. By default loopback, private,
 * link-local and other special ranges are refused unless allowed.
 */
export const hostPolicySchema = z
  .object({
    /** Host names, `*.domain`, IP addresses or CIDR ranges that may be reached even in special ranges. */
    allow: entriesSchema,
    /** Never reached, whatever `allow` says. */
    deny: entriesSchema,
    /** Only destinations on `allow` may be reached at all. */
    allowOnly: z.boolean().default(false),
  })
  .superRefine((policy, context) => {
    for (const key of ['allow', 'deny'] as const) {
      try {
        parseHostEntries(policy[key]);
      } catch (error) {
        context.addIssue({ code: 'custom', path: [key], message: (error as Error).message });
      }
    }
  });

export type HostPolicyInput = z.input<typeof hostPolicySchema>;

/** A parsed policy that can be asked about a destination. */
export interface HostPolicy {
  allow: HostEntries;
  deny: HostEntries;
  allowOnly: boolean;
}

export function hostPolicy(input: HostPolicyInput): HostPolicy {
  const parsed = hostPolicySchema.parse(input);
  return { allow: parseHostEntries(parsed.allow), deny: parseHostEntries(parsed.deny), allowOnly: parsed.allowOnly };
}

/** Why a destination is refused (`host` and the addresses it resolved to), or undefined when it may be reached. */
export function refusalFor(policy: HostPolicy, host: string, addresses: readonly string[]): string | undefined {
  const name = normaliseHost(host);
  if (matchesName(policy.deny, name)) return `${name} is on the deny list`;
  const nameAllowed = matchesName(policy.allow, name);
  for (const address of addresses) {
    if (matchesAddress(policy.deny, address)) return `${name} resolves to ${address}, which is on the deny list`;
    const allowed = nameAllowed || matchesAddress(policy.allow, address);
    if (policy.allowOnly && !allowed) return `${name} (${address}) is not on the allow list`;
    const range = specialRange(address);
    if (range && !allowed) return `${name} resolves to ${address}, a ${range} address; allow it explicitly to deliver there`;
  }
  return undefined;
}
