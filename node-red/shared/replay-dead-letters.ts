import { InvalidRequestError } from '../../core/errors';
import { replayInBatches } from '../../core/operations/replay-in-batches';
import type { DestinationConfig } from '../../core/delivery';
import type { DeadLetterFilter } from '../../core/store/repositories/delivery-repository';
import type { Store } from '../../core/store/store';
import type { Node, NodeMessageInFlow } from './node-red-types';

/** A delivery node's input asks it to replay its own dead letters: `msg.topic = 'replay'` (optionally `msg.ids` or `msg.filter`, and `msg.force`). */
export function isReplayRequest(msg: NodeMessageInFlow): boolean {
  return msg.topic === 'replay';
}

/** An ISO 8601 time or epoch milliseconds. */
function timeOf(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time)) throw new InvalidRequestError(`replay: msg.filter.${name} must be an ISO 8601 time or epoch milliseconds`);
  return time;
}

/**
 * `msg.filter` of a replay request: `since` / `until` (dead-lettered in that window), `status` (the last
 * attempt's HTTP status), `error` (text the last error contains, e.g. "connection_refused"), `incidentId`.
 */
export function replayFilter(input: unknown): DeadLetterFilter | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input)) throw new InvalidRequestError('replay: msg.filter must be an object such as { since, until, status, error, incidentId }');
  const { since, until, status, error, incidentId, ...unknown } = input as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InvalidRequestError(`replay: msg.filter has unknown ${extra.join(', ')} (use since, until, status, error, incidentId)`);
  const filter: DeadLetterFilter = {};
  const from = timeOf(since, 'since');
  const to = timeOf(until, 'until');
  if (from !== undefined) filter.since = from;
  if (to !== undefined) filter.until = to;
  if (from !== undefined && to !== undefined && to <= from) throw new InvalidRequestError('replay: msg.filter.until must be later than since');
  if (status !== undefined) {
    if (!/^[1-5]\d\d$/.test(String(status))) throw new InvalidRequestError('replay: msg.filter.status must be an HTTP status code such as 503');
    filter.lastStatus = Number(status);
  }
  if (error !== undefined) {
    if (typeof error !== 'string' || !error.trim()) throw new InvalidRequestError('replay: msg.filter.error must be the text the last error contains');
    filter.errorContains = error.trim();
  }
  if (incidentId !== undefined) {
    if (typeof incidentId !== 'string' || !incidentId) throw new InvalidRequestError('replay: msg.filter.incidentId must be an incident id');
    filter.incidentId = incidentId;
  }
  if (Object.keys(filter).length === 0) throw new InvalidRequestError('replay: msg.filter is empty; leave it out to replay every dead letter');
  return filter;
}

/**
 * Replays in batches, showing `replaying n/m` in the node status; returns the message to send on. Dead letters
 * whose incident has a newer version delivered or pending are skipped as `superseded` (listed in the
 * payload) unless `msg.force` is true.
 */
export async function replayDeadLetters(node: Node, store: Store, destination: DestinationConfig, msg: NodeMessageInFlow): Promise<NodeMessageInFlow> {
  const ids = Array.isArray(msg.ids) ? msg.ids.filter((id): id is string => typeof id === 'string') : undefined;
  const filter = replayFilter(msg.filter);
  if (ids && filter) throw new InvalidRequestError('replay: give msg.ids or msg.filter, not both');
  if (msg.force !== undefined && typeof msg.force !== 'boolean') throw new InvalidRequestError('replay: msg.force must be true or false');
  node.status({ fill: 'blue', shape: 'ring', text: 'replaying…' });
  const result = await replayInBatches(store, {
    tenant: destination.tenant,
    destinationId: destination.id,
    ...(ids && { ids }),
    ...(filter && { filter }),
    force: msg.force === true,
    onProgress: ({ replayed, total }) => node.status({ fill: 'blue', shape: 'ring', text: `replaying ${replayed}${total === undefined ? '' : `/${total}`}` }),
  });
  return { ...msg, topic: 'replayed', payload: { destinationId: destination.id, replayed: result.replayed, skipped: result.skipped, skippedDeliveries: result.skippedDeliveries } };
}
