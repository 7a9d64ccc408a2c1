import { decodeStandardWebhookSecret } from '../signing/standard-webhook-secret';

/**
 * Base64 of `bytes` as it shows inside a longer base64 text (a receiver encoding `Bearer <token>` or a whole
 * header block): for each of the three alignments, the characters that depend on these bytes alone.
 */
function base64Cores(bytes: Buffer, alphabet: 'base64' | 'base64url'): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    if (end - start >= 6) cores.push(encoded.slice(start, end));
  }
  return cores;
}

function encodings(bytes: Buffer): string[] {
  const hex = bytes.toString('hex');
  return [hex, hex.toUpperCase(), ...base64Cores(bytes, 'base64'), ...base64Cores(bytes, 'base64url')];
}

/**
 * Every form in which a secret could come back from a receiver that echoes what it was sent: the text itself,
 * and its bytes in hex and base64 (also those of a Standard Webhooks secret's key). Longest first, so a
 * longer form is replaced before a shorter one inside it.
 */
export function secretForms(secret: string): string[] {
  const key = secret.startsWith('whsec_') ? decodeStandardWebhookSecret(secret) : undefined;
  const forms = [secret, ...encodings(Buffer.from(secret, 'utf8')), ...(key ? encodings(key) : [])];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}
