import fc from 'fast-check';
import type { AuthConfig, SchemeName } from '../../../core/signing';
import { decodeStandardWebhookSecret } from '../../../core/signing/standard-webhook-secret';

/** A scheme together with an auth config that exercises it, and a secret of the shape it needs. */
export interface SignedSetup {
  scheme: SchemeName;
  auth: AuthConfig;
  secret: string;
  /** Options the sender passes to signRequest to match the config. */
  signOptions: { header?: string; timestampHeader?: string };
  /** Which parts the signature covers. */
  covers: { body: boolean; id: boolean; timestamp: 'header' | 'stripe' | false };
}

const hmacSecret = fc.string({ minLength: 1, maxLength: 64 });
const swSecret = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
const basicSecret = fc.tuple(fc.string({ maxLength: 20 }).filter((user) => !user.includes(':')), fc.string({ maxLength: 30 })).map(([user, password]) => `${user}:${password}`);
const tokenSecret = fc.stringMatching(/^[!-~]{1,64}$/);

const setup = (scheme: SchemeName, secret: fc.Arbitrary<string>, covers: SignedSetup['covers'], extra: Partial<AuthConfig> = {}): fc.Arbitrary<SignedSetup> =>
  secret.map((value) => ({
    scheme,
    secret: value,
    auth: { scheme, secrets: [{ value }], ...extra },
    signOptions: { ...(extra.header ? { header: extra.header } : {}), ...(extra.timestampHeader ? { timestampHeader: extra.timestampHeader } : {}) },
    covers,
  }));

const BODY_ONLY = { body: true, id: false, timestamp: false } as const;

/** Every scheme, and the timestamped variants of the body-HMAC schemes. */
export const signedSetups: fc.Arbitrary<SignedSetup> = fc.oneof(
  setup('standard-webhooks', swSecret, { body: true, id: true, timestamp: 'header' }),
  setup('stripe', hmacSecret, { body: true, id: false, timestamp: 'stripe' }),
  setup('pagerduty', hmacSecret, BODY_ONLY),
  setup('hub-sha256', hmacSecret, BODY_ONLY),
  setup('grafana', hmacSecret, BODY_ONLY),
  setup('grafana', hmacSecret, { body: true, id: false, timestamp: 'header' }, { timestampHeader: 'X-Grafana-Alerting-Timestamp' }),
  setup('hmac-hex', hmacSecret, BODY_ONLY),
  setup('hmac-hex', hmacSecret, { body: true, id: false, timestamp: 'header' }, { timestampHeader: 'X-Timestamp', header: 'X-Custom-Signature' }),
  setup('hmac-base64', hmacSecret, BODY_ONLY),
  setup('token', tokenSecret, { body: false, id: false, timestamp: false }),
  setup('token', tokenSecret, { body: false, id: false, timestamp: false }, { header: 'X-Api-Token' }),
  setup('basic', basicSecret, { body: false, id: false, timestamp: false }),
);

/** A message id of the characters senders use (Standard Webhooks ids are opaque printable text). */
export const messageIds = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
export const bodies = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));

/**
 * HMAC pads short keys with zero bytes, so "k" and "k\0" are the same key: not a flaw of ours, but two such
 * secrets must not count as different in a property.
 */
export function hmacKeysEquivalent(a: string, b: string): boolean {
  const bytes = (secret: string) => (secret.startsWith('whsec_') ? decodeStandardWebhookSecret(secret) : undefined) ?? Buffer.from(secret, 'utf8');
  const trimmed = (key: Buffer) => {
    let end = key.length;
    while (end > 0 && key[end - 1] === 0) end--;
    return key.subarray(0, end);
  };
  return trimmed(bytes(a)).equals(trimmed(bytes(b)));
}
