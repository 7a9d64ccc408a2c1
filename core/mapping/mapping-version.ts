import { createHash } from 'node:crypto';

/**
 * Bump when the engine's own behaviour changes (tables, assembly, helper functions), so candidates mapped
 * by a different engine carry a different version even when the mapping text is the same.
 */
export const MAPPING_ENGINE_VERSION = 1;

/** Short content hash of everything that shapes the output; the same inputs give the same version in any process. */
export function mappingVersionOf(provider: string, content: unknown): string {
  const digest = createHash('sha256').update(stableJson({ engine: MAPPING_ENGINE_VERSION, provider, content })).digest('hex');
  return `${provider}-${digest.slice(0, 12)}`;
}

/** JSON with object keys sorted at every level. */
function stableJson(value: unknown): string {
  if (value instanceof RegExp) return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
