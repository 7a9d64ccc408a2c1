/** Why a reference gave no secret. */
export type SecretProblem = 'not_set' | 'not_found' | 'unreadable' | 'empty' | 'too_large';

const DESCRIPTIONS: Record<SecretProblem, string> = {
  not_set: 'is not set',
  not_found: 'names a file that does not exist',
  unreadable: 'names a file that cannot be read',
  empty: 'is empty',
  too_large: 'names a file over 64 KiB, which is not a secret',
};

/**
 * A secret reference that could not be resolved. Its message names the reference (`env:NAME`,
 * `file:/path`) and the problem, never a value or any part of the file.
 */
export class SecretResolutionError extends Error {
  constructor(
    readonly reference: string,
    readonly problem: SecretProblem,
    readonly field?: string,
  ) {
    super(`${field ? `${field}: ` : ''}secret reference ${reference} ${DESCRIPTIONS[problem]}`);
    this.name = 'SecretResolutionError';
  }

  /** The same failure, named after the configuration field that held the reference. */
  inField(field: string): SecretResolutionError {
    return new SecretResolutionError(this.reference, this.problem, field);
  }
}
