import { decodeStandardWebhookSecret } from '../../../core/signing/standard-webhook-secret';

/** One way a secret could show up in output. */
interface Needle {
  secret: string;
  form: string;
  text: string;
}

/**
 * Base64 of `bytes` as it appears inside a longer base64 text: the three possible alignments, with the
 * characters that depend on neighbouring bytes cut off.
 */
function embeddedBase64(bytes: Buffer, urlSafe: boolean): string[] {
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString(urlSafe ? 'base64url' : 'base64');
    const start = pad === 0 ? 0 : Math.ceil((pad * 4) / 3) + 1;
    const usable = Math.floor(((pad + bytes.length) * 4) / 3) - 1;
    if (usable - start >= 8) forms.push(encoded.slice(start, usable));
  }
  return forms;
}

/** The byte strings a secret is, for scanning: the text itself and, for Standard Webhooks secrets, the key. */
function secretBytes(secret: string): Buffer[] {
  const key = secret.startsWith('whsec_') ? decodeStandardWebhookSecret(secret) : undefined;
  const parts: Buffer[] = [Buffer.from(secret, 'utf8')];
  if (key) parts.push(key);
  // Basic credentials: the password alone is a secret too.
  if (secret.includes(':')) parts.push(Buffer.from(secret.slice(secret.indexOf(':') + 1), 'utf8'));
  return parts;
}

export function needlesFor(secrets: Record<string, string>): Needle[] {
  const needles: Needle[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const bytes of secretBytes(secret)) {
      const add = (form: string, text: string) => needles.push({ secret: name, form, text });
      add('raw', bytes.toString('latin1'));
      add('hex', bytes.toString('hex'));
      add('HEX', bytes.toString('hex').toUpperCase());
      embeddedBase64(bytes, false).forEach((text, i) => add(`base64@${i}`, text));
      embeddedBase64(bytes, true).forEach((text, i) => add(`base64url@${i}`, text));
    }
  }
  return needles;
}

export interface SecretHit {
  where: string;
  secret: string;
  form: string;
  context: string;
}

/** Every place in `haystacks` where any form of any secret appears. */
export function scanForSecrets(haystacks: Record<string, Buffer | string>, secrets: Record<string, string>): SecretHit[] {
  const hits: SecretHit[] = [];
  const needles = needlesFor(secrets);
  for (const [where, content] of Object.entries(haystacks)) {
    const text = typeof content === 'string' ? content : content.toString('latin1');
    for (const needle of needles) {
      const at = text.indexOf(needle.text);
      if (at >= 0) hits.push({ where, secret: needle.secret, form: needle.form, context: text.slice(Math.max(0, at - 60), at + needle.text.length + 20) });
    }
  }
  return hits;
}
