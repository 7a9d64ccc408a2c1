import { createHash } from 'node:crypto';

/**
 * The key a receiver sees on every attempt and every replay of one change: derived from (tenant, destination,
 * incident, event version) only, so enqueuing the same change twice yields the same key — and the outbox's
 * unique index turns the second enqueue into a no-op. Sent as `webhook-id`.
 */
export function deliveryIdempotencyKey(tenant: string, destinationId: string, incidentId: string, eventVersion: number): string {
  const digest = createHash('sha256').update([tenant, destinationId, incidentId, String(eventVersion)].join('\u001f')).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}
