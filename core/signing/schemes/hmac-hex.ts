import { bodyHmacScheme } from './body-hmac';

/** Generic hex HMAC-SHA256 of the body, with or without a `sha256=` label. */
export const hmacHex = bodyHmacScheme({ defaultHeader: 'X-Signature', encoding: 'hex', optionalPrefix: 'sha256=' });
