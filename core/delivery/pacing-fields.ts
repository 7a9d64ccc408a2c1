import type { DeliveryPolicyInput } from './delivery-policy';

/**
 * Pacing and ordering as host editors and templates hold them: a rate per minute (empty or 0: the
 * destination kind's default; `off`: no limit), a burst, the bucket's name, and the ordering.
 */
export interface PacingFields {
  ordering?: string;
  ratePerMinute?: string | number;
  rateBurst?: string | number;
  rateBucket?: string;
}

const ORDERINGS = ['none', 'per-incident'];

function positive(value: string | number | undefined, what: string, integer: boolean): number | undefined {
  const text = String(value ?? '').trim();
  if (text === '' || text === '0') return undefined;
  const number = Number(text);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) throw new RangeError(`${what}: "${text}" is not a ${integer ? 'whole ' : ''}number above 0`);
  return number;
}

/** The policy's `ordering` and `rateLimit` from the fields; what is left empty keeps the destination kind's default. */
export function pacingPolicy(fields: PacingFields): Pick<DeliveryPolicyInput, 'ordering' | 'rateLimit'> {
  const ordering = (fields.ordering ?? '').trim();
  if (ordering !== '' && ordering !== 'default' && !ORDERINGS.includes(ordering)) throw new RangeError(`ordering: "${ordering}" is not one of none, per-incident`);
  const policy: Pick<DeliveryPolicyInput, 'ordering' | 'rateLimit'> = ordering === '' || ordering === 'default' ? {} : { ordering: ordering as 'none' | 'per-incident' };
  if (String(fields.ratePerMinute ?? '').trim().toLowerCase() === 'off') return { ...policy, rateLimit: null };
  const perMinute = positive(fields.ratePerMinute, 'rate limit per minute', false);
  const burst = positive(fields.rateBurst, 'rate burst', true);
  const bucket = (fields.rateBucket ?? '').trim();
  if (bucket.length > 200) throw new RangeError('rate bucket: at most 200 characters');
  if (burst !== undefined && perMinute === undefined) throw new RangeError('rate burst: set a rate limit per minute with it');
  if (perMinute === undefined && bucket === '') return policy;
  return { ...policy, rateLimit: { ...(perMinute !== undefined && { perMinute }), ...(burst !== undefined && { burst }), ...(bucket !== '' && { bucket }) } };
}
