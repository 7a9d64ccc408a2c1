/**
 * Senders such as Zabbix (`{EVENT.RECOVERY.DATE}`) and Datadog (`$ALERT_PRIORITY`) send template variables
 * that did not resolve as literal text. They mean "absent", so they are removed before mapping: object
 * keys holding one disappear and array items holding one are dropped.
 */
export function withoutPlaceholders(payload: unknown, patterns: readonly RegExp[]): unknown {
  if (patterns.length === 0) return payload;
  return strip(payload, patterns, 0);
}

// Intake caps JSON nesting far below this; deeper values are passed through untouched.
const MAX_DEPTH = 200;

function strip(value: unknown, patterns: readonly RegExp[], depth: number): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.filter((item) => !isPlaceholder(item, patterns)).map((item) => strip(item, patterns, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!isPlaceholder(item, patterns)) copy[key] = strip(item, patterns, depth + 1);
    }
    return copy;
  }
  return value;
}

function isPlaceholder(value: unknown, patterns: readonly RegExp[]): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return patterns.some((pattern) => pattern.test(text));
}
