import type { VerifyFailureCode } from './verify-result';

/**
 * Thrown inside a scheme to stop verification; `verifyRequest` turns it into a failed result.
 * The message names headers and schemes only: never a secret or a signature value.
 */
export class VerificationFailure extends Error {
  constructor(
    readonly code: VerifyFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'VerificationFailure';
  }
}
