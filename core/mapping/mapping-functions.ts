import type jsonata from 'jsonata';
import { toUtcIso } from './utc-time';

/**
 * Helper functions every mapping can call, besides JSONata's built-ins:
 * - `$toUtcIso(value, format?, zone?)`: provider date → ISO 8601 UTC (see utc-time.ts).
 * - `$parseJson(text)`: a JSON string field (e.g. Zabbix `{EVENT.TAGSJSON}`) → value; absent when not JSON.
 * - `$field(object, "a.b.c")`: reads a dotted path that may be a literal flattened key (Elastic's
 *   `kibana.alert.uuid`) or nested objects.
 * - `$hostOf(url)`: the host (with port) of an absolute URL.
 * `$eval` is replaced: it would let a mapping build expressions at run time, past save-time checks.
 *
 * Loaded by the mapping worker straight from source in tests: erasable syntax and `import type` only.
 */
export function registerMappingFunctions(expression: jsonata.Expression): void {
  for (const [name, implementation] of Object.entries(MAPPING_FUNCTIONS)) expression.registerFunction(name, implementation as (...args: unknown[]) => unknown);
  expression.registerFunction('eval', () => {
    throw new Error('$eval is not allowed in mappings');
  });
}

/** The helpers by name, as registered with JSONata and as compiled mappings call them. */
export const MAPPING_FUNCTIONS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  toUtcIso: (value: unknown, format?: string | null, zone?: string | null) => toUtcIso(value, format === null ? undefined : format, zone === null ? undefined : zone),
  parseJson,
  field,
  hostOf,
};

const MAX_JSON_TEXT = 1_000_000;

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.length > MAX_JSON_TEXT) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function field(object: unknown, path: unknown): unknown {
  if (typeof path !== 'string' || !isRecord(object)) return undefined;
  if (Object.hasOwn(object, path)) return object[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  // Try every split point so mixed shapes (`kibana.alert` nested, `rule.name` flattened) resolve too.
  for (let split = dot; split >= 0; split = path.indexOf('.', split + 1)) {
    const head = path.slice(0, split);
    if (Object.hasOwn(object, head)) {
      const found = field(object[head], path.slice(split + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
