import { singleHeader, type HeaderBag } from '../http/headers';
import { DEFAULT_TOLERANCE_SECONDS, type AuthConfig } from './auth-config';
import { VerificationFailure } from './verification-failure';

// No leading zeros: the number and the text that was signed then map one to one.
const UNIX_SECONDS = /^(?:0|[1-9]\d{0,14})$/;

/** Unix seconds from a header or signature field; garbled values are a malformed signature. */
export function parseUnixSeconds(text: string, where: string): number {
  const trimmed = text.trim();
  if (!UNIX_SECONDS.test(trimmed)) {
    throw new VerificationFailure('malformed_signature', `${where} is not a unix timestamp in seconds`);
  }
  return Number(trimmed);
}

export function readTimestampHeader(headers: HeaderBag, name: string): number {
  const value = singleHeader(headers, name);
  if (value === undefined || value.trim() === '') {
    throw new VerificationFailure('missing_timestamp', `header ${name} is missing`);
  }
  return parseUnixSeconds(value, `header ${name}`);
}

/** Rejects timestamps too old or too new; a difference of exactly the tolerance is accepted. */
export function checkTolerance(timestamp: number, now: Date, config: AuthConfig): void {
  const tolerance = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const difference = Math.floor(now.getTime() / 1000) - timestamp;
  // Written so that a NaN tolerance or clock rejects rather than accepts.
  if (!(Math.abs(difference) <= tolerance)) {
    const direction = difference > 0 ? 'too old' : 'too new';
    throw new VerificationFailure(
      'timestamp_out_of_tolerance',
      `timestamp is ${direction}: ${Math.abs(difference)} s away from now, tolerance ${tolerance} s${millisecondsHint(timestamp, now, tolerance)}`,
    );
  }
}

/**
 * Every scheme here signs unix seconds (Standard Webhooks, Svix, Stripe, Grafana). A sender that writes
 * milliseconds is refused like any other out-of-tolerance timestamp; the message says why.
 */
function millisecondsHint(timestamp: number, now: Date, tolerance: number): string {
  const asSeconds = Math.floor(timestamp / 1000);
  return Math.abs(Math.floor(now.getTime() / 1000) - asSeconds) <= tolerance ? ' (it looks like milliseconds; send unix seconds)' : '';
}

export function currentUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
