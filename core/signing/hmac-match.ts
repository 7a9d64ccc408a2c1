import { anyEqual } from './constant-time';
import { hmacSha256 } from './hmac';
import { noMatch } from './signature-header';

/** Passes when any presented MAC equals the HMAC-SHA256 of `content` under any of the keys. */
export function requireHmacMatch(keys: readonly (Buffer | string)[], content: Buffer, presented: Buffer[], header: string): void {
  const expected = keys.map((key) => hmacSha256(key, content));
  if (!anyEqual(expected, presented)) throw noMatch(header);
}
