import { createHash } from 'node:crypto';

/** The Signed Webhook node's destination when its Destination ID is left empty: one per URL. */
export function signedWebhookDestinationId(destinationId: string, url: string): string {
  return destinationId.trim() || `webhook-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}
