export { DEFAULT_TOLERANCE_SECONDS, SCHEME_NAMES, isSchemeName } from './auth-config';
export type { AuthConfig, SchemeName, SecretEntry } from './auth-config';
export { MESSAGE_ID_HEADERS, extractMessageId, newMessageId } from './message-id';
export type { SignOptions } from './scheme';
export { liveSecrets, rotateSecrets } from './secrets';
export { signRequest } from './sign-request';
export { generateStandardWebhookSecret } from './standard-webhook-secret';
export { verifyRequest } from './verify-request';
export type { QueryParams, VerifyFailureCode, VerifyInput, VerifyResult } from './verify-result';
