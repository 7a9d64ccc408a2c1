/**
 * Secret values the hardening suites configure everywhere, chosen so that any of their bytes is easy to find
 * again in whatever the system produced. Standard Webhooks secrets are `whsec_` + base64 of a recognisable key.
 */
const key = (label: string) => Buffer.from(`HARDENING-${label}-KEY-7Q3Z-${label.length}`).toString('base64');

export const SECRETS = {
  standardWebhooks: `whsec_${key('SW')}`,
  stripe: 'hardening-stripe-secret-5e1d0c7a9b',
  pagerduty: 'hardening-pagerduty-secret-3f9a2b',
  hub: 'hardening-hub-secret-81c4d2e6f0',
  grafana: 'hardening-grafana-secret-4b7e19',
  hmacHex: 'hardening-hmac-hex-secret-6a2c8d',
  hmacBase64: 'hardening-hmac-b64-secret-9d3f1e',
  token: 'hardening-bearer-token-2e8b4c7d1a',
  basic: 'hardening-user:hardening-basic-password-5c1a',
  big: `whsec_${key('BIG')}`,
  budget: `whsec_${key('BUDGET')}`,
  hostile: `whsec_${key('HOSTILE')}`,
  deliverySigning: `whsec_${key('DELIVERY')}`,
  deliveryBearer: 'hardening-delivery-bearer-0f4e7a2b9c',
} as const;

/** A wrong secret of the same shape as the right one, for "every scheme with a wrong secret". */
export function wrongSecret(secret: string): string {
  if (secret.startsWith('whsec_')) return `whsec_${Buffer.from(`WRONG-${secret}`).toString('base64')}`;
  if (secret.includes(':')) return `${secret.split(':')[0]}:wrong-password`;
  return `wrong-${secret.slice(6)}`;
}
