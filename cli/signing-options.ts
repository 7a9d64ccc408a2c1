import { signRequest, type SchemeName, type SignOptions } from '../core/signing';
import { UsageError, parseScheme, readSecrets, requiredOption, stringOption, type OptionSpecs, type OptionValues } from './args';

/** Flags shared by verify, sign and send. */
export const SIGNING_OPTIONS: OptionSpecs = {
  scheme: { type: 'string' },
  secret: { type: 'string', multiple: true },
  'secret-env': { type: 'string', multiple: true },
  header: { type: 'string' },
  'timestamp-header': { type: 'string' },
};

export const SECRET_USAGE = `  --secret X            the shared secret (visible in shell history and ps)
  --secret-env NAME     read the secret from environment variable NAME instead`;

export interface SigningChoice {
  scheme: SchemeName;
  secrets: string[];
  header?: string;
  timestampHeader?: string;
}

export function signingChoice(values: OptionValues, env: NodeJS.ProcessEnv): SigningChoice {
  const scheme = parseScheme(requiredOption(values, 'scheme'));
  const secrets = readSecrets(values, env);
  if (scheme !== 'none' && secrets.length === 0) throw new UsageError('--secret or --secret-env is required');
  return { scheme, secrets, header: stringOption(values, 'header'), timestampHeader: stringOption(values, 'timestamp-header') };
}

/** Signing uses exactly one secret. */
export function singleSecret(choice: SigningChoice): string {
  if (choice.secrets.length > 1) throw new UsageError('give exactly one --secret or --secret-env to sign with');
  return choice.secrets[0] ?? '';
}

/** `signRequest`, with a secret the scheme cannot use reported as a usage error. */
export function signForCli(choice: SigningChoice, rawBody: Buffer, options: SignOptions): Record<string, string> {
  try {
    return signRequest(choice.scheme, singleSecret(choice), rawBody, {
      ...options,
      header: choice.header,
      timestampHeader: choice.timestampHeader,
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
