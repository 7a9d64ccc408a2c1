import { decodeBase64, decodeHex } from '../encoding';
import { HMAC_SHA256_BYTES, hmacSha256, prefixedBody } from '../hmac';
import { requireHmacMatch } from '../hmac-match';
import type { Scheme, SchemeAcceptance, SchemeRequest, SignOptions } from '../scheme';
import { malformed, requireSignatureHeader } from '../signature-header';
import { checkTolerance, currentUnixSeconds, readTimestampHeader } from '../timestamp';

export interface BodyHmacOptions {
  defaultHeader: string;
  encoding: 'hex' | 'base64';
  /** A label some senders put before the MAC (`sha256=`); accepted when present, never required. */
  optionalPrefix?: string;
}

/**
 * A bare HMAC-SHA256 of the raw body in one header. With a timestamp header configured, the MAC covers
 * `"{timestamp}:{raw body}"` (Grafana's format) and the timestamp must be within tolerance.
 */
export function bodyHmacScheme(options: BodyHmacOptions): Scheme {
  return {
    requiresSecret: true,
    verify: (request) => verifyBodyHmac(request, options),
    sign: (secret, rawBody, signOptions) => signBodyHmac(secret, rawBody, signOptions, options),
  };
}

function verifyBodyHmac(request: SchemeRequest, options: BodyHmacOptions): SchemeAcceptance {
  const headerName = request.config.header ?? options.defaultHeader;
  const signature = decodeSignature(requireSignatureHeader(request.headers, headerName), headerName, options);
  const timestampHeader = request.config.timestampHeader;
  const timestamp = timestampHeader ? readTimestampHeader(request.headers, timestampHeader) : undefined;
  const content = signedContent(timestamp, request.rawBody);
  const secretIndex = requireHmacMatch(request.secrets, content, [signature], headerName);
  if (timestamp !== undefined) checkTolerance(timestamp, request.now, request.config);
  return { signedContent: content, timestamp, secretIndex };
}

function signBodyHmac(secret: string, rawBody: Buffer, signOptions: SignOptions, options: BodyHmacOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  let timestamp: number | undefined;
  if (signOptions.timestampHeader) {
    timestamp = signOptions.timestamp ?? currentUnixSeconds();
    headers[signOptions.timestampHeader] = String(timestamp);
  }
  const mac = hmacSha256(secret, signedContent(timestamp, rawBody)).toString(options.encoding);
  headers[signOptions.header ?? options.defaultHeader] = mac;
  return headers;
}

function signedContent(timestamp: number | undefined, rawBody: Buffer): Buffer {
  return timestamp === undefined ? rawBody : prefixedBody(`${timestamp}:`, rawBody);
}

function decodeSignature(value: string, headerName: string, options: BodyHmacOptions): Buffer {
  const prefix = options.optionalPrefix;
  const encoded = prefix && value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length) : value;
  const signature = options.encoding === 'hex' ? decodeHex(encoded) : decodeBase64(encoded);
  if (signature?.length !== HMAC_SHA256_BYTES) throw malformed(`${headerName} is not a ${options.encoding} HMAC-SHA256`);
  return signature;
}
