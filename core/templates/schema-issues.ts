import type { z } from 'zod';
import { SECRET_KEYS } from './template-fields';
import { templateError, type TemplateIssue } from './template-issue';

const SECRET_KEY_SET = new Set<string>(SECRET_KEYS);

/** Zod issues as template issues: an unknown key is named by its own path, a secret key gets its own advice. */
export function schemaIssues(error: z.ZodError): TemplateIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey([...issue.path, key], key));
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // a plain union: report the branch that got furthest instead of "invalid input"
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      return best.map((inner) => templateError([...issue.path, ...inner.path], inner.message));
    }
    // a record key that fails its own check: report the key's message at the key
    if (issue.code === 'invalid_key') return issue.issues.map((inner) => templateError([...issue.path, ...inner.path], inner.message));
    return [templateError(issue.path, requiredOr(issue.message))];
  });
}

/** Zod says "expected string, received undefined" for a missing key. */
function requiredOr(message: string): string {
  return /received undefined$/.test(message) ? 'is required' : message;
}

function unknownKey(path: PropertyKey[], key: string): TemplateIssue {
  if (SECRET_KEY_SET.has(key)) {
    return templateError(path, `secrets never go into a template: use ${key}Env with the name of the environment variable that holds it`);
  }
  return templateError(path, 'is not a template setting');
}
