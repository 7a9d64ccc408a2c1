export const SCHEME_NAMES = [
  'standard-webhooks',
  'stripe',
  'pagerduty',
  'hub-sha256',
  'grafana',
  'onemanage',
  'hmac-hex',
  'hmac-base64',
  'token',
  'basic',
  'none',
] as const;

export type SchemeName = (typeof SCHEME_NAMES)[number];

export function isSchemeName(value: unknown): value is SchemeName {
  return typeof value === 'string' && (SCHEME_NAMES as readonly string[]).includes(value);
}

export interface SecretEntry {
  value: string;
  /** Epoch milliseconds; absent means the secret never expires. */
  expiresAt?: number;
  /**
   * A name for the secret that is not secret itself (`current`, `previous`, a key id), reported as the secret
   * a request was signed with. Absent: named by its place (see `secretLabel`).
   */
  label?: string;
}

/** How one intake source authenticates its senders. */
export interface AuthConfig {
  scheme: SchemeName;
  /** Several live secrets means a rotation is under way: any live one may match. */
  secrets: SecretEntry[];
  /** Allowed clock difference for timestamped schemes, in both directions. */
  toleranceSeconds?: number;
  /** Signature or token header override (hmac-hex, hmac-base64, token, grafana, onemanage, hub-sha256, stripe). */
  header?: string;
  /** Timestamp header for grafana and hmac-*; when set, the timestamp is signed and checked. */
  timestampHeader?: string;
  /** Token scheme: take the token from this query parameter instead of a header. */
  queryParam?: string;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
