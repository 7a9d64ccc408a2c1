/** What in a store's settings is secret, whichever host holds them. */
export interface StoreSecretSettings {
  /** A PostgreSQL URL: the whole URL and its password are secret. */
  postgresUrl?: string;
  /** Keys that seal destination configs in the store (the current one and any being rotated out). */
  outboxKeys?: readonly (string | undefined)[];
}

/**
 * A URL's password as typed, also when a character that should have been percent-encoded (`/`, `?`, `#`, as in a
 * pasted base64 password) keeps the URL from parsing: everything between the user name and the last `@`.
 */
const TYPED_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:(.+)@[^@]*$/i;

function passwordForms(url: string): string[] {
  const typed = TYPED_PASSWORD.exec(url)?.[1] ?? '';
  const parsed = URL.canParse(url) ? new URL(url).password : '';
  return [typed, parsed, decoded(typed), decoded(parsed)];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is part of the password
  }
}

/** Everything secret in a store's settings, for redacting messages that might echo it (driver errors). */
export function storeSecrets(settings: StoreSecretSettings): string[] {
  const url = settings.postgresUrl?.trim() ?? '';
  const secrets = [url, ...passwordForms(url), ...(settings.outboxKeys ?? [])].map((value) => value?.trim() ?? '').filter(Boolean);
  return [...new Set(secrets)];
}
