import { bodyHmacScheme } from './body-hmac';

/** OneManage webhooks: lowercase hex HMAC-SHA256 of the raw body in `X-OneManage-Signature`, no timestamp. */
export const onemanage = bodyHmacScheme({ defaultHeader: 'X-OneManage-Signature', encoding: 'hex' });
