import jsonata from 'jsonata';
import type { DeliveryEvent } from '../delivery-event';
import { NonRetryableDeliveryError } from '../non-retryable-error';
import { excludeAttributes } from './exclude-attributes';

/** The default body, shaped like a Standard Webhooks event: `{type, timestamp, data}`. */
export interface WebhookEnvelope {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function webhookEnvelope(event: DeliveryEvent, excluded: readonly string[]): WebhookEnvelope {
  const { incident } = event;
  const data: Record<string, unknown> = {
    id: incident.id,
    version: incident.version,
    ...incident.canonical,
    createdAt: new Date(incident.createdAt).toISOString(),
    updatedAt: new Date(incident.updatedAt).toISOString(),
    resolvedAt: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
  };
  return { type: event.kind, timestamp: new Date(event.occurredAt).toISOString(), data: excludeAttributes(data, excluded) };
}

/** A compiled JSONata body template; compiling checks the syntax once, when the destination is loaded. */
export function compileBodyTemplate(expression: string): (envelope: WebhookEnvelope) => Promise<unknown> {
  const compiled = jsonata(expression);
  return async (envelope) => {
    let result: unknown;
    try {
      result = await compiled.evaluate(envelope);
    } catch (error) {
      const message = (error as { message?: unknown }).message;
      throw new NonRetryableDeliveryError('body_template_failed', `the body template failed: ${String(message ?? error)}`, { cause: error });
    }
    if (result === undefined) throw new NonRetryableDeliveryError('body_template_empty', 'the body template produced nothing for this incident');
    return result;
  };
}
