import type { Clock } from '../../clock';
import { classifyError } from '../classify-error';
import { classifyResponse } from '../classify-response';
import type { HttpRequest, HttpTransport } from '../http-transport';
import { redactText } from '../redact';
import { summarizeResponse } from '../response-summary';
import type { AttemptReport } from './adapter';

/** An attempt's report plus the parsed JSON answer, for adapters that read ids out of it. */
export interface Exchange extends AttemptReport {
  json?: unknown;
}

/** Sends one request and classifies whatever came back (or did not), keeping only redacted, bounded facts. */
export async function exchange(transport: HttpTransport, request: HttpRequest, secrets: readonly string[], clock: Clock): Promise<Exchange> {
  try {
    const response = await transport.send(request);
    return {
      classification: classifyResponse(response, clock.now()),
      httpStatus: response.status,
      response: summarizeResponse(response, secrets),
      json: response.json,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { classification: classifyError(error), httpStatus: null, response: null, error: redactText(message, secrets).slice(0, 300) };
  }
}
