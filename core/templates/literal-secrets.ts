import { looksLikeSecretValue } from '../secrets/secret-looks';
import { SECRET_KEYS } from './template-fields';
import { templateError, type TemplateIssue } from './template-issue';

/** Keys the schema already refuses with its own advice (`secret` → `secretEnv`); `…Env` keys are checked as names. */
const REFUSED_KEYS = new Set<string>(SECRET_KEYS);

/**
 * Every text in a template that looks like a pasted secret (a bearer token, `whsec_…`, a provider key, a long
 * token), wherever it sits: a template holds references only. The issue names the field, never the value.
 */
export function literalSecretIssues(value: unknown, path: PropertyKey[] = []): TemplateIssue[] {
  if (typeof value === 'string') {
    return looksLikeSecretValue(value) ? [templateError(path, 'looks like a literal secret: templates hold references only; name an environment variable (a …Env key) or use a reference such as env:NAME or file:/run/secrets/name')] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => literalSecretIssues(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(looksLikeSecretValue(key) ? [templateError([...path, key], 'this key looks like a literal secret: templates hold references only')] : []),
    ...(REFUSED_KEYS.has(key) || key.endsWith('Env') ? [] : literalSecretIssues(item, [...path, key])),
  ]);
}
