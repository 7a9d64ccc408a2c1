import { headerValues, singleHeader, type HeaderBag } from '../../http/headers';
import { decodeBase64 } from '../encoding';
import { HMAC_SHA256_BYTES, hmacSha256, prefixedBody } from '../hmac';
import { requireHmacMatch } from '../hmac-match';
import { newMessageId } from '../message-id';
import type { Scheme, SchemeRequest } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';
import { decodeStandardWebhookSecret } from '../standard-webhook-secret';
import { standardWebhookSigningKey } from '../signing-key';
import { checkTolerance, currentUnixSeconds, readTimestampHeader } from '../timestamp';
import { VerificationFailure } from '../verification-failure';

interface HeaderNames {
  id: string;
  timestamp: string;
  signature: string;
}

const UNBRANDED: HeaderNames = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' };
// Svix sends the same scheme under its own brand.
const SVIX: HeaderNames = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' };

export const standardWebhooks: Scheme = {
  requiresSecret: true,

  verify(request: SchemeRequest) {
    const names = headerNamesIn(request.headers);
    const signatureHeader = requireSignatureHeader(request.headers, names.signature);
    const id = requireMessageId(request.headers, names.id);
    const timestamp = readTimestampHeader(request.headers, names.timestamp);
    const signatures = parseSignatures(signatureHeader, names.signature);
    const keys = usableKeys(request.secrets);
    const content = signedContent(id, timestamp, request.rawBody);
    const matched = requireHmacMatch(keys.map((key) => key.bytes), content, signatures, names.signature);
    checkTolerance(timestamp, request.now, request.config);
    return { signedContent: content, timestamp, messageId: id, secretIndex: keys[matched]!.index };
  },

  sign(secret, rawBody, options) {
    const key = standardWebhookSigningKey(secret);
    if (key === undefined) throw new Error('the secret is not a Standard Webhooks secret (whsec_<base64>)');
    const id = options.id ?? newMessageId();
    const timestamp = options.timestamp ?? currentUnixSeconds();
    const signature = hmacSha256(key, signedContent(id, timestamp, rawBody)).toString('base64');
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
  },
};

function headerNamesIn(headers: HeaderBag): HeaderNames {
  const svixOnly = headerValues(headers, UNBRANDED.signature).length === 0 && headerValues(headers, SVIX.signature).length > 0;
  return svixOnly ? SVIX : UNBRANDED;
}

function requireMessageId(headers: HeaderBag, name: string): string {
  const id = singleHeader(headers, name)?.trim();
  if (!id) throw new VerificationFailure('missing_signature', `header ${name} is missing`);
  return id;
}

function signedContent(id: string, timestamp: number, rawBody: Buffer): Buffer {
  return prefixedBody(`${id}.${timestamp}.`, rawBody);
}

/** `v1,<base64>` entries separated by spaces; other versions (e.g. `v1a` for ed25519) are skipped. */
function parseSignatures(header: string, headerName: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of header.split(' ').filter((part) => part !== '')) {
    const comma = entry.indexOf(',');
    if (comma <= 0) throw malformed(`${headerName} has an entry that is not <version>,<signature>`);
    if (entry.slice(0, comma) !== 'v1') continue;
    const signature = decodeBase64(entry.slice(comma + 1));
    if (signature?.length !== HMAC_SHA256_BYTES) throw malformed(`${headerName} has a v1 entry that is not a base64 HMAC-SHA256`);
    signatures.push(signature);
  }
  if (signatures.length === 0) throw malformed(`${headerName} has no v1 signature`);
  return signatures;
}

/** The secrets that are Standard Webhooks secrets, as keys, with their place among all live secrets. */
function usableKeys(secrets: string[]): Array<{ bytes: Buffer; index: number }> {
  const keys = secrets.flatMap((secret, index) => {
    const bytes = decodeStandardWebhookSecret(secret);
    return bytes === undefined ? [] : [{ bytes, index }];
  });
  if (keys.length === 0) {
    throw new VerificationFailure('no_live_secret', 'no live secret is a Standard Webhooks secret (whsec_<base64>)');
  }
  return keys;
}
