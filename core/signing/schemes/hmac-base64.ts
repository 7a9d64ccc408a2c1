import { bodyHmacScheme } from './body-hmac';

/** Generic base64 HMAC-SHA256 of the body, e.g. from a ServiceNow script's `generateMac`. */
export const hmacBase64 = bodyHmacScheme({ defaultHeader: 'X-Signature', encoding: 'base64' });
