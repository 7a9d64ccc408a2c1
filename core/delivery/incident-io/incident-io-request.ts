import type { HttpMethod, HttpRequest } from '../http-transport';
import { NonRetryableDeliveryError } from '../non-retryable-error';
import { USER_AGENT } from '../user-agent';

/** incident.io refuses alert event bodies over 512 KB; no retry will make a body smaller. */
export const MAX_BODY_BYTES = 512 * 1024;

/** A JSON request to incident.io with a bearer credential (API key or alert source token). */
export function incidentIoRequest(baseUrl: string, method: HttpMethod, path: string, token: string, timeoutMs: number, body?: unknown): HttpRequest {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': USER_AGENT };
  const request: HttpRequest = { method, url: `${baseUrl.replace(/\/+$/, '')}${path}`, headers, timeoutMs };
  if (body !== undefined) {
    request.body = Buffer.from(JSON.stringify(body), 'utf8');
    if (request.body.length > MAX_BODY_BYTES) {
      throw new NonRetryableDeliveryError('body_too_large', `the request body is ${request.body.length} bytes; incident.io accepts at most ${MAX_BODY_BYTES}`);
    }
    headers['content-type'] = 'application/json';
  }
  return request;
}
