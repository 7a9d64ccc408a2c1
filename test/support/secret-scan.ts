import { looksLikeSecretValue } from '../../core/secrets/secret-looks';

export interface SecretFinding {
  path: string;
  why: string;
}

function parsedJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/**
 * Every place in an exported flow, workflow or rendered file that holds a known secret (also inside a longer
 * text) or a literal that looks like one. JSON texts inside strings (a node's `headers` field) are searched too.
 */
export function findSecrets(value: unknown, known: readonly string[], path = '$'): SecretFinding[] {
  if (typeof value === 'string') {
    const hits: SecretFinding[] = known.filter((secret) => value.includes(secret)).map(() => ({ path, why: 'holds a known test secret' }));
    if (looksLikeSecretValue(value)) hits.push({ path, why: 'looks like a literal secret' });
    const inner = parsedJson(value);
    return inner === undefined ? hits : [...hits, ...findSecrets(inner, known, `${path}<json>`)];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findSecrets(item, known, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [...findSecrets(key, known, `${path}.<key>`), ...findSecrets(item, known, `${path}.${key}`)]);
}
