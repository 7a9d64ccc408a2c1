import { canonicalIncidentSchema, defaultDedupeKey } from '../incident/canonical-incident';
import type { Normaliser, NormaliseContext, NormaliseResult, QuarantineReason } from './normaliser';

/**
 * Takes payloads that are already canonical incidents (one object or an array of them) and only validates
 * them. Useful for senders that speak our format, and as the simplest Normaliser for tests.
 */
export const passThroughNormaliser: Normaliser = {
  mappingVersion: 'pass-through-1',
  async normalise(payload: unknown, context: NormaliseContext): Promise<NormaliseResult> {
    const items = Array.isArray(payload) ? payload : [payload];
    const result: NormaliseResult = { mappingVersion: this.mappingVersion, candidates: [], quarantined: [], filtered: [] };
    items.forEach((item, index) => {
      const input = withDefaults(item, context);
      const parsed = canonicalIncidentSchema.safeParse(input);
      if (parsed.success) result.candidates.push({ index, incident: parsed.data });
      else result.quarantined.push({ index, reasons: parsed.error.issues.map(toReason), partial: isRecord(input) ? input : null });
    });
    return result;
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withDefaults(item: unknown, context: NormaliseContext): unknown {
  if (!isRecord(item)) return item;
  const provider = typeof item.provider === 'string' ? item.provider : context.provider;
  const instance = typeof item.instance === 'string' ? item.instance : context.instance;
  const externalId = typeof item.externalId === 'string' ? item.externalId : undefined;
  const dedupeKey = item.dedupeKey ?? (externalId ? defaultDedupeKey(provider, instance, externalId) : undefined);
  // A sender speaking our format stamps detectedAt itself: it came with the payload unless it says otherwise.
  const detectedAtSource = item.detectedAtSource ?? 'payload';
  return { ...item, provider, ...(instance ? { instance } : {}), ...(dedupeKey ? { dedupeKey } : {}), detectedAtSource };
}

function toReason(issue: { path: PropertyKey[]; message: string }): QuarantineReason {
  return { field: issue.path.map(String).join('.') || 'payload', message: issue.message };
}
