import type { HeaderBag } from '../http/headers';
import { headerValues } from '../http/headers';
import { handleIntake, TEST_EVENT_HEADER, type IntakeDependencies } from './handle-intake';
import { outcome, type IntakeOutcome, type OutcomeCode } from './outcome';
import type { SourceConfig } from './source-config';

/** A message that reached the host some other way than an HTTP request: a bus, a poller, a file watcher. */
export interface SubmittedMessage {
  /** An object is sent on as JSON; a string or Buffer is taken as the exact bytes received. */
  payload: unknown;
  /** Headers carried with the message (MQTT 5 user properties, AMQP headers); a signature, if any, is here. */
  headers?: HeaderBag;
  receivedAt?: Date;
}

/** Outcomes that routed nothing further: a stored malformed body is kept only for inspection. */
const NOT_REFUSALS: ReadonlySet<OutcomeCode> = new Set(['accepted', 'duplicate', 'stale', 'quarantined', 'filtered', 'test_passed']);

/**
 * Outcomes a host sends to its refusal output (disabled source, spent budget, malformed, over the cap,
 * wrong signature, store down): the message was not taken in and a flow may park or nack it. A duplicate
 * is not one: it was taken in before, and nacking it would make an at-least-once broker send it forever.
 */
export function isRefusal(result: IntakeOutcome): boolean {
  return !NOT_REFUSALS.has(result.code);
}

/**
 * The pipeline of {@link handleIntake} for a message not received over HTTP. How the source is trusted is
 * its `messageTrust`: `channel` checks no signature (the broker authenticated the sender), `signature`
 * verifies the one carried in the headers as for HTTP. A source that says neither refuses every message.
 * Replay protection is the one HTTP gives an unsigned body: the provider's event id or the body hash.
 * Never throws.
 */
export async function submitMessage(source: SourceConfig | undefined, message: SubmittedMessage, dependencies: IntakeDependencies): Promise<IntakeOutcome> {
  if (!source) return outcome('unknown_source', 'no intake source is configured for this node');
  const trusted = trustedSource(source);
  if (typeof trusted === 'string') return outcome('unauthorized', trusted);
  const body = messageBody(message.payload);
  if (typeof body === 'string') return outcome('malformed', body);
  const headers = messageHeaders(message.headers, message.payload);
  if (headerValues(headers, TEST_EVENT_HEADER).length > 0 && source.messageTrust === 'channel') {
    return outcome('unauthorized', 'a test event must be signed; it cannot come over a trusted channel');
  }
  return handleIntake(trusted, { headers, rawBody: body, receivedAt: message.receivedAt }, dependencies);
}

/** The source as the pipeline checks it, or why it takes no messages. */
function trustedSource(source: SourceConfig): SourceConfig | string {
  if (source.messageTrust === 'channel') return { ...source, auth: { scheme: 'none', secrets: [] } };
  if (source.messageTrust !== 'signature') {
    return 'the source does not say how messages from other nodes are trusted (messageTrust: channel or signature); refused';
  }
  if (source.auth.scheme === 'none') return 'messageTrust is signature but the source has no signature scheme; refused';
  return source;
}

function messageBody(payload: unknown): Buffer | string {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload === undefined || payload === null) return 'the message has no payload';
  if (typeof payload !== 'object') return `the payload is a ${typeof payload}, not an object, string or Buffer`;
  try {
    return Buffer.from(JSON.stringify(payload), 'utf8');
  } catch {
    return 'the payload object cannot be written as JSON (a cycle or a BigInt)';
  }
}

/** Message headers as a header bag; a message without a content type is taken as JSON. */
function messageHeaders(headers: unknown, payload: unknown): HeaderBag {
  const bag: HeaderBag = {};
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string') bag[name.toLowerCase()] = value;
      else if (Array.isArray(value)) bag[name.toLowerCase()] = value.filter((each): each is string => typeof each === 'string');
      else if (typeof value === 'number') bag[name.toLowerCase()] = String(value);
    }
  }
  const typed = headerValues(bag, 'content-type').length > 0;
  if (!typed || (typeof payload === 'object' && !Buffer.isBuffer(payload) && !(payload instanceof Uint8Array))) bag['content-type'] = 'application/json';
  return bag;
}
