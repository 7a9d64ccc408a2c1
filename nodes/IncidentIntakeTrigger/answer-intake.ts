import type { IWebhookFunctions } from 'n8n-workflow';
import { redactText } from '../../core/delivery/redact';
import { handleIntake } from '../../core/intake/handle-intake';
import { outcomeDetails } from '../../core/intake/outcome-details';
import { outcome, responseBody, type IntakeOutcome } from '../../core/intake/outcome';
import type { Store } from '../../core/store/store';
import { intakeRuntime } from '../shared/intake-runtime';
import { withStore } from '../shared/store-cache';
import { readRawBody } from './raw-body';
import { runtimeInput } from './runtime-input';

type Routed = [review: unknown[], incident: unknown[], quarantined: unknown[]];

/**
 * Runs one request through the core and answers the sender from the core's status table. Returns the items
 * for the Review, Incident and Quarantined outputs, or undefined when no execution should start.
 */
export async function answerIntake(context: IWebhookFunctions, key: string): Promise<Routed | undefined> {
  const request = context.getRequestObject();
  const response = context.getResponseObject();
  let result: IntakeOutcome;
  let routed: Routed | undefined;
  try {
    const runtime = await intakeRuntime(await runtimeInput(context, key));
    const { source } = runtime.definition;
    const rawBody = await readRawBody(request);
    [result, routed] = await withStore(runtime.location, async (store) => {
      const answer = await handleIntake(source, { headers: request.headers, rawBody, query: request.query as Record<string, string> }, { store, normaliser: runtime.normaliser });
      return [answer, await routedItems(context, store, source.tenant, answer)];
    });
  } catch (error) {
    // Bad configuration or a store that cannot be opened: the sender should retry later.
    logProblem(context, 'request not processed', error);
    result = outcome('store_unavailable', 'the intake source is not ready; retry later', { headers: { 'Retry-After': '30' } });
  }
  response.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  response.json(responseBody(result));
  return routed && routed.some((items) => items.length > 0) ? routed : undefined;
}

/** The stored records behind an answer. Once a request is stored its answer stands, even if reading them back fails. */
async function routedItems(context: IWebhookFunctions, store: Store, tenant: string, answer: IntakeOutcome): Promise<Routed | undefined> {
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
