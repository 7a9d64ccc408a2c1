import { bodySha256 } from './body-digest';

/**
 * What intake stores to refuse a replay: the message id when the signature covers it (Standard Webhooks);
 * otherwise a digest of the content the signature authenticated (not of the header text, which can be
 * reordered or padded with extra entries and still verify); otherwise a digest of the body. An id header
 * the signature does not cover (PagerDuty's X-Webhook-Id, Jira's identifier) is never the key: an attacker
 * could resend a captured request under a fresh id. Senders' retries repeat the body, so they still match.
 */
export function replayKeyFor(signedMessageId: string | undefined, signedContent: Buffer | undefined, rawBody: Buffer): string {
  if (signedMessageId !== undefined) return `id:${signedMessageId}`;
  if (signedContent !== undefined) return `sig:${sha256Hex(signedContent)}`;
  return `body:${sha256Hex(rawBody)}`;
}

function sha256Hex(bytes: Buffer): string {
  return bodySha256(bytes);
}

/**
 * The second key of a request whose sender put a delivery id in an unsigned header (PagerDuty's X-Webhook-Id,
 * GitHub's X-GitHub-Delivery, Jira's X-Atlassian-Webhook-Identifier). Kept beside the content key, never
 * instead of it: a retry that repeats the id is recognised even if its bytes differ, while a captured body
 * under a fresh id still matches its content key.
 */
export function deliveryIdReplayKey(deliveryId: string): string {
  return `delivery:${deliveryId}`;
}

/** Every key a stored request is remembered under. */
export function replayKeysOf(replayKey: string, deliveryId: string | undefined | null): string[] {
  if (deliveryId === undefined || deliveryId === null || replayKey.startsWith('id:')) return [replayKey];
  return [replayKey, deliveryIdReplayKey(deliveryId)];
}
