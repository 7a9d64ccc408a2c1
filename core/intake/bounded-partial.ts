/** Longest text kept of any field of a quarantined candidate; the raw body stays whole in the receipt. */
export const MAX_PARTIAL_TEXT = 4_096;

/**
 * What a quarantined event keeps of the mapping's output, for a reviewer to see: strings over the limit are
 * cut (with a note of their length). A 3 MB title would otherwise be stored, read back and routed to the
 * host's outputs a second time, all on the host's event loop.
 */
export function boundedPartial(partial: Record<string, unknown> | null): Record<string, unknown> | null {
  return partial === null ? null : (bound(partial) as Record<string, unknown>);
}

function bound(value: unknown): unknown {
  if (typeof value === 'string') return value.length <= MAX_PARTIAL_TEXT ? value : `${value.slice(0, MAX_PARTIAL_TEXT)}… [${value.length} characters]`;
  if (Array.isArray(value)) return value.map(bound);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, bound(item)]));
  return value;
}
