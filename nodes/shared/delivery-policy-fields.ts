import type { INodeProperties } from 'n8n-workflow';
import type { DeliveryPolicyInput } from '../../core/delivery/delivery-policy';

/** Retry settings of a delivery node: the outbox's policy, beyond n8n's own 5 tries × 5 s. */
export const deliveryPolicyField: INodeProperties = {
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
      // DEFAULT_RETRY_POLICY.maxAttempts (a literal for n8n's linter; test/n8n/delivery-operations.test.ts keeps them equal),
      // so adding the setting without changing it behaves as leaving it out.
      default: 6,
      typeOptions: { minValue: 1, maxValue: 100 },
      description: 'Attempts in total, the first included; then the delivery is dead-lettered',
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
  ],
};

interface PolicyParameters {
  maxAttempts?: number;
  scheduleSeconds?: string;
  timeoutSeconds?: number;
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
  return {
    ...(parameters.maxAttempts ? { maxAttempts: parameters.maxAttempts } : {}),
    ...(schedule.length ? { scheduleMs: schedule } : {}),
    ...(parameters.timeoutSeconds ? { timeoutMs: Math.round(parameters.timeoutSeconds * 1000) } : {}),
  };
}
