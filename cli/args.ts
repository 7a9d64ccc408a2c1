import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { HeaderBag } from '../core/http/headers';
import { SCHEME_NAMES, isSchemeName, type SchemeName } from '../core/signing';

/** A mistake on the command line: exit code 2, with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Flags only, no positional arguments; unknown flags are usage errors. */
export function parseOptions(args: string[], options: OptionSpecs): OptionValues {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  // Node's message repeats the stray argument, which may well be a mistyped secret.
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument: this command takes flags only';
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function parseScheme(text: string): SchemeName {
  if (!isSchemeName(text)) throw new UsageError(`--scheme must be one of ${SCHEME_NAMES.join(', ')}`);
  return text;
}

/** A whole, non-negative number of seconds (unix time or a duration). */
export function parseSeconds(text: string, flag: string): number {
  if (!/^\d{1,15}$/.test(text.trim())) throw new UsageError(`${flag} must be a whole number of seconds`);
  return Number(text.trim());
}

/** `-H 'Name: value'` lines; a name given twice becomes a duplicated header, as on the wire. */
export function parseHeaderLines(lines: string[]): HeaderBag {
  const headers: Record<string, string | string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`-H needs 'Name: value', got a line without a header name`);
    const value = line.slice(colon + 1).trim();
    const key = name.toLowerCase();
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return headers;
}

/** Secrets from `--secret` and from the environment variables named by `--secret-env`. */
export function readSecrets(values: OptionValues, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = listOption(values, 'secret-env').map((name) => {
    const secret = env[name];
    if (secret === undefined || secret === '') throw new UsageError(`--secret-env ${name}: that environment variable is not set`);
    return secret;
  });
  return [...listOption(values, 'secret'), ...fromEnv];
}
