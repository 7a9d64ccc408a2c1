/** Environment variable with hosts every delivery of the process may reach, read by both hosts' delivery nodes. */
export const OUTBOUND_ALLOW_ENV = 'INCIDENT_INTAKE_OUTBOUND_ALLOW';

/** A host list as users type it in a field or a variable: entries separated by commas or whitespace. */
export function hostListEntries(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean);
}

/** The entries of {@link OUTBOUND_ALLOW_ENV}. */
export function environmentAllowedHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  return hostListEntries(env[OUTBOUND_ALLOW_ENV]);
}
