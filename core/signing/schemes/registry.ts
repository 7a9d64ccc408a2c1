import type { SchemeName } from '../auth-config';
import type { Scheme } from '../scheme';
import { basic } from './basic';
import { grafana } from './grafana';
import { hmacBase64 } from './hmac-base64';
import { hmacHex } from './hmac-hex';
import { hubSha256 } from './hub-sha256';
import { none } from './none';
import { onemanage } from './onemanage';
import { pagerduty } from './pagerduty';
import { standardWebhooks } from './standard-webhooks';
import { stripe } from './stripe';
import { token } from './token';

const SCHEMES: Record<SchemeName, Scheme> = {
  'standard-webhooks': standardWebhooks,
  stripe,
  pagerduty,
  'hub-sha256': hubSha256,
  grafana,
  onemanage,
  'hmac-hex': hmacHex,
  'hmac-base64': hmacBase64,
  token,
  basic,
  none,
};

/** The scheme for a name from configuration; `undefined` for anything unknown (including `toString`). */
export function schemeFor(name: unknown): Scheme | undefined {
  return typeof name === 'string' && Object.hasOwn(SCHEMES, name) ? SCHEMES[name as SchemeName] : undefined;
}
