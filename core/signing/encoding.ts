const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Hex to bytes, or `undefined` for anything that is not whole, well-formed hex. */
export function decodeHex(text: string): Buffer | undefined {
  return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/**
 * Standard base64 (padding optional) to bytes, or `undefined` when garbled. Node's decoder skips
 * characters it does not know, so the text is checked first and must round-trip.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length !== text.length && text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(unpadded, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === unpadded ? bytes : undefined;
}
