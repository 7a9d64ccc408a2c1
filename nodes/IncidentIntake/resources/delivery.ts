import { InvalidRequestError } from '../../../core/errors';
import { destinationHealth, type DestinationHealth } from '../../../core/delivery/health';
import { replayInBatches } from '../../../core/operations/replay-in-batches';
import type { DeadLetterFilter } from '../../../core/store/repositories/delivery-repository';
import { flag, shownFor, text, time, type OperationContext, type Resource } from './operation';

const REPLAY = ['replayDeadLetters'];

function destinationId(c: OperationContext): string {
  const id = text(c, 'destinationId');
  if (!id) throw new InvalidRequestError('a Destination ID is required (the delivery node\'s Destination ID)');
  return id;
}

function deliveryIds(c: OperationContext): string[] {
  const ids = [...new Set(text(c, 'deliveryIds').split(/[\s,]+/).filter(Boolean))];
  if (ids.length === 0) throw new InvalidRequestError('Delivery IDs: give at least one dead-lettered delivery id');
  return ids;
}

function filterOf(c: OperationContext): DeadLetterFilter {
  const since = time(c, 'deadLetteredSince');
  const until = time(c, 'deadLetteredUntil');
  const status = text(c, 'httpStatus');
  const incidentId = text(c, 'deadLetterIncidentId');
  const errorContains = text(c, 'errorContains');
  if (status && !/^[1-5]\d\d$/.test(status)) throw new InvalidRequestError(`HTTP Status: "${status}" is not an HTTP status code such as 503`);
  if (since !== undefined && until !== undefined && until <= since) throw new InvalidRequestError('Dead-Lettered Until must be later than Dead-Lettered Since');
  const filter: DeadLetterFilter = {
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
    ...(status && { lastStatus: Number(status) }),
    ...(incidentId && { incidentId }),
    ...(errorContains && { errorContains }),
  };
  if (Object.keys(filter).length === 0) throw new InvalidRequestError('Matching Filter: set at least one of Dead-Lettered Since, Dead-Lettered Until, HTTP Status, Error Contains or Incident ID (or choose All Dead Letters)');
  return filter;
}

/**
 * Schedules dead letters of one destination again, due now, with a fresh retry budget and the same idempotency
 * key, in short batches (as `incident-intake replay`); the active Delivery Worker Trigger sends them. A dead
 * letter whose incident has a newer version delivered or pending is skipped and listed as `superseded`,
 * unless Replay Superseded is on.
 */
async function replay(c: OperationContext) {
  const destination = destinationId(c);
  const which = text(c, 'replay', 'all');
  const selection = which === 'ids' ? { ids: deliveryIds(c) } : which === 'filter' ? { filter: filterOf(c) } : which === 'all' ? {} : undefined;
  if (!selection) throw new InvalidRequestError(`Replay: unknown choice "${which}"`);
  const force = flag(c, 'replaySuperseded');
  const result = await replayInBatches(c.store, { tenant: c.tenant, destinationId: destination, ...selection, force });
  return { tenant: c.tenant, destinationId: destination, replay: which, replayed: result.replayed, skipped: result.skipped, skippedDeliveries: result.skippedDeliveries };
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

async function health(c: OperationContext) {
  const found: DestinationHealth = await destinationHealth(c.store, c.tenant, destinationId(c));
  return { ...found, pausedUntil: isoOrNull(found.pausedUntil), nextAttemptAt: isoOrNull(found.nextAttemptAt), lastResultAt: isoOrNull(found.lastResultAt) };
}

export const deliveryResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['delivery'] } },
    options: [
      { name: 'Get Destination Health', value: 'getDestinationHealth', action: 'Get the health of a delivery destination', description: 'Enabled or disabled (and why), back-off pause, deliveries by state, last result' },
      { name: 'Replay Dead Letters', value: 'replayDeadLetters', action: 'Replay dead letters of a destination', description: 'Schedule dead-lettered deliveries again, due now, with a fresh retry budget' },
    ],
    default: 'getDestinationHealth',
  },
  fields: [
    {
      displayName: 'Destination ID',
      name: 'destinationId',
      type: 'string',
      default: '',
      required: true,
      description: "The delivery node's Destination ID (Signed Webhook or incident.io node)",
      displayOptions: { show: { resource: ['delivery'] } },
    },
    {
      displayName: 'Replay',
      name: 'replay',
      type: 'options',
      options: [
        { name: 'All Dead Letters', value: 'all', description: 'Every dead letter of the destination' },
        { name: 'By ID', value: 'ids', description: 'The dead-lettered deliveries listed' },
        { name: 'Matching Filter', value: 'filter', description: 'Dead-lettered in a time window, by HTTP status or error, or of one incident' },
      ],
      default: 'all',
      displayOptions: shownFor('delivery', REPLAY),
    },
    {
      displayName: 'Delivery IDs',
      name: 'deliveryIds',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'dlv_…, dlv_…',
      description: 'Comma- or space-separated IDs (the deliveryId of a dead_letter result of the Delivery Worker Trigger)',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['ids'] } },
    },
    {
      displayName: 'Dead-Lettered Since',
      name: 'deadLetteredSince',
      type: 'dateTime',
      default: '',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['filter'] } },
    },
    {
      displayName: 'Dead-Lettered Until',
      name: 'deadLetteredUntil',
      type: 'dateTime',
      default: '',
      description: 'Exclusive',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['filter'] } },
    },
    {
      displayName: 'HTTP Status',
      name: 'httpStatus',
      type: 'string',
      default: '',
      placeholder: '503',
      description: 'Only dead letters whose last attempt got this HTTP status',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['filter'] } },
    },
    {
      displayName: 'Error Contains',
      name: 'errorContains',
      type: 'string',
      default: '',
      placeholder: 'connection_refused',
      description: 'Only dead letters whose last error contains this text, in any case (e.g. timeout, connection_refused, http_422)',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['filter'] } },
    },
    {
      displayName: 'Incident ID',
      name: 'deadLetterIncidentId',
      type: 'string',
      default: '',
      description: 'Only dead letters of this incident',
      displayOptions: { show: { resource: ['delivery'], operation: REPLAY, replay: ['filter'] } },
    },
    {
      displayName: 'Replay Superseded',
      name: 'replaySuperseded',
      type: 'boolean',
      default: false,
      description:
        'Whether to replay a dead letter even when a newer version of its incident was delivered or is pending. Off: it is skipped and listed in skippedDeliveries (reason superseded), so the receiver never gets an older state after a newer one.',
      displayOptions: shownFor('delivery', REPLAY),
    },
  ],
  run: {
    getDestinationHealth: health,
    replayDeadLetters: replay,
  },
};
