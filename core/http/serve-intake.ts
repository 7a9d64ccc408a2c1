import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleIntake, type IntakeDependencies } from '../intake/handle-intake';
import { outcome, responseBody, type IntakeOutcome } from '../intake/outcome';
import { DEFAULT_LIMITS, type SourceConfig } from '../intake/source-config';
import { readCappedBody, type CappedBody } from '../limits/read-capped-body';
import { refusedContentEncoding } from './content-encoding';

export interface ServeIntakeOptions {
  /** Give up on a body that has not fully arrived after this long. */
  bodyTimeoutMs?: number;
  /** The body, already read under the cap by an earlier middleware (hosts whose other parsers would consume it). */
  body?: Promise<CappedBody>;
}

/**
 * Runs one Node.js HTTP request through the intake and answers it. Shared by every host that hands us a
 * raw `IncomingMessage` (Node-RED's Express routes, the demo server). Reads the body under the source's
 * cap, so an oversized or slow body is refused without buffering it.
 */
export async function serveIntake(
  request: IncomingMessage,
  response: ServerResponse,
  source: SourceConfig | undefined,
  dependencies: IntakeDependencies,
  options: ServeIntakeOptions = {},
): Promise<IntakeOutcome> {
  const receivedAt = new Date();
  const encoded = refusedContentEncoding(request.headers['content-encoding']);
  if (encoded) {
    answer(response, encoded, true);
    return encoded;
  }
  const maxBytes = source?.limits.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes;
  const body = await (options.body ?? readCappedBody(request, { maxBytes, declaredLength: request.headers['content-length'], timeoutMs: options.bodyTimeoutMs }));
  if (!body.ok) {
    const refused = outcome(body.code, body.message);
    answer(response, refused, true);
    return refused;
  }
  const query = queryOf(request.url);
  const result = await handleIntake(source, { headers: request.headersDistinct, rawBody: body.body, query, receivedAt }, dependencies);
  answer(response, result, false);
  return result;
}

/** Every query parameter of a request target, each with all its values; most targets have none, and no URL is parsed then. */
function queryOf(target: string | undefined): Record<string, string[]> {
  if (!target?.includes('?')) return {};
  const { searchParams } = new URL(target, 'http://intake.local');
  return Object.fromEntries([...searchParams.keys()].map((key) => [key, searchParams.getAll(key)]));
}

/** How long, and how many bytes, a refused request's remaining body is read and discarded before closing. */
const LINGER_MS = 200;
const LINGER_BYTES = 1024 * 1024;

/**
 * Closing a socket that still holds unread request bytes makes the kernel send a reset, which can wipe our
 * answer from the sender's receive buffer before it reads it (a chunked oversize sender would see a
 * connection error instead of 413). Node.js closes the socket as soon as a `Connection: close` response
 * ends, so the answer is written in full first and the response is only ended once the rest of the body has
 * been discarded — bounded in time and bytes, never buffered.
 */
function discardRestThen(request: IncomingMessage | undefined, done: () => void): void {
  if (!request || request.destroyed || request.readableEnded) return done();
  let discarded = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    request.off('data', onData);
    done();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) finish();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  request.on('data', onData);
  request.once('end', finish);
  request.once('error', finish);
  request.once('close', finish);
  request.resume();
}

/** Writes the outcome as JSON. When the body was not read to the end, closes the connection after answering. */
export function answer(response: ServerResponse, result: IntakeOutcome, closeConnection: boolean): void {
  if (response.headersSent) return;
  const payload = JSON.stringify(responseBody(result));
  response.statusCode = result.status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  response.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (!closeConnection) {
    response.end(payload);
    return;
  }
  response.setHeader('Connection', 'close');
  response.write(payload);
  discardRestThen(response.req, () => response.end());
}
