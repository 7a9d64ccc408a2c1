export { parseSecretReference, parseHeaderReference, isSecretReference, referenceText, type SecretReference } from './secret-reference';
export { SecretResolutionError, type SecretProblem } from './secret-resolution-error';
export { resolveSecret, resolveSecretSync, resolveHeaderValue, MAX_SECRET_FILE_BYTES, type SecretSources } from './resolve-secret';
export { isCredentialHeaderName, isSecretLookingHeader, looksLikeSecretValue, urlCarriesSecret } from './secret-looks';
