import { randomBytes } from 'node:crypto';
import { singleHeader, type HeaderBag } from '../http/headers';

/**
 * Headers in which senders put an id that stays the same across retries, most specific first.
 * `X-Request-Id` is deliberately absent: proxies mint a new one per attempt.
 */
export const MESSAGE_ID_HEADERS = [
  'webhook-id', // Standard Webhooks
  'svix-id', // Svix-branded Standard Webhooks
  'x-webhook-id', // PagerDuty v3
  'x-atlassian-webhook-identifier', // Jira Cloud
  'x-github-delivery', // GitHub
] as const;

/** The sender's message id, if any. Throws `DuplicateHeaderError` when an id header was sent twice. */
export function extractMessageId(headers: HeaderBag): string | undefined {
  for (const name of MESSAGE_ID_HEADERS) {
    const value = singleHeader(headers, name)?.trim();
    if (value) return value;
  }
  return undefined;
}

export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}
