import type { IWebhookFunctions } from 'n8n-workflow';
import { redactText } from '../../core/delivery/redact';
import { answer, serveIntake } from '../../core/http/serve-intake';
import { outcomeDetails } from '../../core/intake/outcome-details';
import { outcome, type IntakeOutcome } from '../../core/intake/outcome';
import type { Store } from '../../core/store/store';
import { intakeRuntime, type IntakeRuntime } from '../shared/intake-runtime';
import { withStore } from '../shared/store-cache';
import { bodyReadByN8n, n8nRequest } from './raw-body';
import { runtimeRequest } from './runtime-input';

type Routed = [review: unknown[], incident: unknown[], quarantined: unknown[]];

const notReady = () => outcome('store_unavailable', 'the intake source is not ready; retry later', { headers: { 'Retry-After': '30' } });

/**
 * Runs one request through the core and answers the sender from the core's status table, exactly as the
 * Node-RED intake does: the raw body is read here, under the source's cap and time limit (n8n leaves it
 * unread, see the trigger's hidden `options` parameter), signatures are checked over the bytes as sent and
 * against `headersDistinct`. Returns the items for the Review, Incident and Quarantined outputs, or
 * undefined when no execution should start.
 */
export async function answerIntake(context: IWebhookFunctions, key: string): Promise<Routed | undefined> {
  const request = n8nRequest(context.getRequestObject());
  const response = context.getResponseObject();
  let runtime: IntakeRuntime;
  try {
    runtime = await intakeRuntime(runtimeRequest(context, key));
  } catch (error) {
    // Bad configuration or a store that cannot be opened: the sender should retry later.
    logProblem(context, 'request not processed', error);
    answer(response, notReady(), !request.readableEnded);
    return undefined;
  }
  const { source } = runtime.definition;
  try {
    return await withStore(runtime.location, async (store) => {
      const result = await serveIntake(request, response, source, { store, normaliser: runtime.normaliser, deliverTo: runtime.deliverTo }, { body: bodyReadByN8n(request, source.limits.maxBodyBytes) });
      const routed = await routedItems(context, store, source.tenant, result);
      return routed && routed.some((items) => items.length > 0) ? routed : undefined;
    });
  } catch (error) {
    logProblem(context, 'request not processed', error);
    answer(response, notReady(), !request.readableEnded);
    return undefined;
  }
}

/** The stored records behind an answer. Once a request is stored its answer stands, even if reading them back fails. */
async function routedItems(context: IWebhookFunctions, store: Store, tenant: string, answer: IntakeOutcome): Promise<Routed | undefined> {
  if (answer.receiptId === undefined) return undefined;
  try {
    const details = await outcomeDetails(store, tenant, answer);
    const incidents = details.incidents.map(({ incident, change }) => ({ change, ...incident }));
    return [details.review, incidents, details.quarantined];
  } catch (error) {
    logProblem(context, `stored as ${answer.receiptId ?? 'unknown'} but not routed (see the review queue)`, error);
    return undefined;
  }
}

function logProblem(context: IWebhookFunctions, what: string, error: unknown): void {
  context.logger.error(`incident intake: ${what}: ${redactText(error instanceof Error ? error.message : String(error), [])}`);
}
