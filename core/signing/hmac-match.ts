import { firstMatch } from './constant-time';
import { hmacSha256 } from './hmac';
import { noMatch } from './signature-header';

/**
 * Passes when any presented MAC equals the HMAC-SHA256 of `content` under any of the keys; returns the index
 * of the key that matched.
 */
export function requireHmacMatch(keys: readonly (Buffer | string)[], content: Buffer, presented: Buffer[], header: string): number {
  const expected = keys.map((key) => hmacSha256(key, content));
  const matched = firstMatch(expected, presented);
  if (matched < 0) throw noMatch(header);
  return matched;
}
