import type { INodeProperties } from 'n8n-workflow';
import type { DeliveryPolicyInput } from '../../core/delivery/delivery-policy';
import { pacingPolicy } from '../../core/delivery/pacing-fields';

type DestinationKind = 'webhook' | 'incident-io';

const RATE_DEFAULT: Record<DestinationKind, string> = {
  'incident-io': "0: incident.io's limits (alert events 110/min with bursts of 10, so no minute sees more than 120; API calls 1,100/min)",
  webhook: '0: unpaced',
};

const BUCKET_DEFAULT: Record<DestinationKind, string> = {
  'incident-io': 'alert events share one bucket per alert source (every node, tenant and process on the store that sends into it); API calls use this destination\'s own',
  webhook: "this destination's own",
};

const ORDERING_OPTIONS = [
  { name: 'None', value: 'none', description: 'Versions of an incident go out as they come' },
  { name: 'Per Incident', value: 'per-incident', description: 'A newer version of an incident waits until the older one is delivered or dead-lettered' },
];

/** One literal per kind, so n8n's linter sees each default. */
const ORDERING_FIELD: Record<DestinationKind, INodeProperties> = {
  'incident-io': {
    displayName: 'Ordering',
    name: 'ordering',
    type: 'options',
    options: ORDERING_OPTIONS,
    default: 'per-incident',
    description: 'Whether a newer version of an incident may overtake an older one still being retried',
  },
  webhook: {
    displayName: 'Ordering',
    name: 'ordering',
    type: 'options',
    options: ORDERING_OPTIONS,
    default: 'none',
    description: 'Whether a newer version of an incident may overtake an older one still being retried',
  },
};

/**
 * Retry, pacing and ordering settings of a delivery node: the outbox's policy, beyond n8n's own 5 tries × 5 s.
 * Each default equals the core's for the kind, so adding a setting without changing it behaves as leaving it out.
 */
export function deliveryPolicyField(kind: DestinationKind): INodeProperties {
  return {
    displayName: 'Delivery Policy',
    name: 'policy',
    type: 'collection',
    placeholder: 'Add Setting',
    default: {},
    options: [
      {
        displayName: 'Max Attempts',
        name: 'maxAttempts',
        type: 'number',
        // DEFAULT_RETRY_POLICY.maxAttempts (a literal for n8n's linter; test/n8n/delivery-operations.test.ts keeps them equal).
        default: 6,
        typeOptions: { minValue: 1, maxValue: 100 },
        description: 'Attempts in total, the first included; then the delivery is dead-lettered',
      },
      ORDERING_FIELD[kind],
      {
        displayName: 'Rate Bucket',
        name: 'rateBucket',
        type: 'string',
        default: '',
        placeholder: 'soc-receiver',
        description: `Names the token bucket: every destination naming the same one (any node, tenant or process on the store) shares its pace. Empty: ${BUCKET_DEFAULT[kind]}.`,
      },
      {
        displayName: 'Rate Burst',
        name: 'rateBurst',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0 },
        description: "Sends allowed back to back, with Rate Limit (Per Minute). 0: 5 seconds' worth.",
      },
      {
        displayName: 'Rate Limit (Per Minute)',
        name: 'ratePerMinute',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0 },
        description: `Sends per minute, paced by a token bucket kept in the store. ${RATE_DEFAULT[kind]}.`,
      },
      {
        displayName: 'Retry Schedule (Seconds)',
        name: 'scheduleSeconds',
        type: 'string',
        default: '',
        placeholder: '5, 300, 1800, 7200',
        description: 'Waits between attempts; the last repeats. Empty: the built-in schedule (seconds to hours). Retry-After is honoured.',
      },
      { displayName: 'Timeout (Seconds)', name: 'timeoutSeconds', type: 'number', default: 10, typeOptions: { minValue: 1, maxValue: 300 } },
      ...(kind === 'incident-io'
        ? [
            {
              displayName: 'Unpaced',
              name: 'unpaced',
              type: 'boolean' as const,
              default: false,
              description: "Whether to send without incident.io's rate limits (incident.io then answers 429 and the deliveries wait for its Retry-After)",
            },
          ]
        : []),
    ],
  };
}

interface PolicyParameters {
  maxAttempts?: number;
  scheduleSeconds?: string;
  timeoutSeconds?: number;
  ordering?: string;
  ratePerMinute?: number;
  rateBurst?: number;
  rateBucket?: string;
  unpaced?: boolean;
}

export function deliveryPolicy(parameters: PolicyParameters): DeliveryPolicyInput {
  const schedule = (parameters.scheduleSeconds ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((value) => {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`retry schedule: "${value}" is not a number of seconds`);
      return Math.round(seconds * 1000);
    });
  const pacing = pacingPolicy({
    ordering: parameters.ordering,
    ratePerMinute: parameters.unpaced ? 'off' : parameters.ratePerMinute,
    rateBurst: parameters.rateBurst,
    rateBucket: parameters.rateBucket,
  });
  return {
    ...(parameters.maxAttempts ? { maxAttempts: parameters.maxAttempts } : {}),
    ...(schedule.length ? { scheduleMs: schedule } : {}),
    ...(parameters.timeoutSeconds ? { timeoutMs: Math.round(parameters.timeoutSeconds * 1000) } : {}),
    ...pacing,
  };
}
