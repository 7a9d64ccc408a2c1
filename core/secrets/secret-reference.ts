/**
 * Where a secret lives instead of its value: `env:NAME` (an environment variable of the host process) or
 * `file:/absolute/path` (a file such as a Kubernetes or Docker secret mounted into the container). A reference
 * is configuration, not a secret: it may be written into flows, workflows and templates.
 */
export type SecretReference = { kind: 'env'; name: string } | { kind: 'file'; path: string };

const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]{0,127})$/;
const FILE_REFERENCE = /^file:(\/[^\0\r\n]*[^\0\r\n/])$/;

/** The reference a text names, or undefined when the text is a value (or not a well-formed reference). */
export function parseSecretReference(text: string): SecretReference | undefined {
  const trimmed = text.trim();
  const env = ENV_REFERENCE.exec(trimmed);
  if (env) return { kind: 'env', name: env[1]! };
  const file = FILE_REFERENCE.exec(trimmed);
  if (file) return { kind: 'file', path: file[1]! };
  return undefined;
}

export function isSecretReference(text: string): boolean {
  return parseSecretReference(text) !== undefined;
}

/** The reference as it is written: safe to show in errors and logs. */
export function referenceText(reference: SecretReference): string {
  return reference.kind === 'env' ? `env:${reference.name}` : `file:${reference.path}`;
}

/** `Bearer env:TOKEN`: an HTTP auth scheme in front of a reference, so the secret holds only the token. */
const SCHEMED_REFERENCE = /^(Bearer|Basic|Token)\s+(\S+)$/i;

/** A header value that is a reference, or an auth scheme followed by one; undefined for a plain value. */
export function parseHeaderReference(value: string): { prefix: string; reference: SecretReference } | undefined {
  const whole = parseSecretReference(value);
  if (whole) return { prefix: '', reference: whole };
  const schemed = SCHEMED_REFERENCE.exec(value.trim());
  const reference = schemed ? parseSecretReference(schemed[2]!) : undefined;
  return reference ? { prefix: `${schemed![1]} `, reference } : undefined;
}
