import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors';
import type { CanonicalIncident } from '../../core/incident/canonical-incident';
import type { DeliveryTarget } from '../../core/delivery/delivery-target';
import { promoteEvent } from '../../core/review/promote-event';
import { rejectEvent } from '../../core/review/reject-event';
import { listReviewQueue } from '../../core/review/review-queue';
import type { EventRecord } from '../../core/store/records';
import type { Store } from '../../core/store/store';
import { UsageError, listOption, requiredOption, stringOption, type OptionValues } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { defineCommandGroup } from '../command-group';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';

const DECISION_OPTIONS = { ...STORE_OPTIONS, event: { type: 'string' as const }, actor: { type: 'string' as const }, reason: { type: 'string' as const } };
const DECISION_USAGE = `  --event ID           the event to decide (incident-intake review list shows the ids)
  --actor WHO          who decides (audited; required)
  --reason TEXT        why (audited; required)`;

/** Payload text is the sender's: terminal control characters in it must not reach the operator's terminal. */
function printable(text: unknown, max = 80): string {
  const flat = String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function queueLine(event: EventRecord): string {
  const candidate = (event.candidate ?? {}) as Partial<CanonicalIncident>;
  return [event.id, new Date(event.receivedAt).toISOString(), printable(event.sourceId, 40), printable(candidate.severity, 10), printable(candidate.title)].join('  ');
}

/** Runs one review action; a refusal the store gives (already decided, unknown event) is exit status 1 with its reason. */
async function decide(values: OptionValues, io: CliIO, work: (store: Store, tenant: string, eventId: string) => Promise<string>): Promise<number> {
  const eventId = requiredOption(values, 'event');
  requiredOption(values, 'actor');
  requiredOption(values, 'reason');
  const store = await openStoreFromOptions(values, io.env);
  try {
    io.stdout.write(`${await work(store, tenantOption(values), eventId)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError || error instanceof InvalidRequestError)) throw error;
    io.stderr.write(`incident-intake review: ${error.message}\n`);
    return EXIT_FAILURE;
  } finally {
    await store.close();
  }
}

/** `--deliver-to` names destinations the hosts already registered in the store; their kind comes from there. */
async function deliveryTargets(store: Store, tenant: string, ids: string[]): Promise<DeliveryTarget[]> {
  return store.transaction(async (r) => {
    const targets: DeliveryTarget[] = [];
    for (const id of ids) {
      const destination = await r.destinations.get(tenant, id);
      if (!destination) throw new NotFoundError('destination', id);
      targets.push({ tenant, id, kind: destination.kind });
    }
    return targets;
  });
}

const list = defineCommand({
  name: 'review list',
  summary: 'events waiting for a decision, newest first',
  usage: `Usage: incident-intake review list --store URL [--tenant T] [--source ID] [--limit N] [--json]

Prints the review queue newest first, one event a line: id, received at, source, severity, title (control
characters from the payload are shown as spaces). --json prints the events with their mapped candidate.

${STORE_USAGE}
  --source ID          only this source's events
  --limit N            at most N events (default 50, at most 1000)
  --json               JSON instead of lines`,
  options: { ...STORE_OPTIONS, source: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, io) {
    const limitText = stringOption(values, 'limit') ?? '50';
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
    const store = await openStoreFromOptions(values, io.env);
    try {
      const events = await listReviewQueue(store, tenantOption(values), { sourceId: stringOption(values, 'source'), limit: Number(limitText) });
      if (values.json === true) io.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
      else io.stdout.write(events.length ? `${events.map(queueLine).join('\n')}\n` : 'The review queue is empty.\n');
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
});

const promote = defineCommand({
  name: 'review promote',
  summary: 'promote a pending event into an incident',
  usage: `Usage: incident-intake review promote --store URL --event ID --actor WHO --reason TEXT [--deliver-to DESTINATION]... [--tenant T]

Promotes a pending event (break-glass or scripted review): creates the incident or updates the one with its
identity, audited with the actor and reason. The hosts' flows do not run for it, so nothing is delivered
unless --deliver-to names outbox destinations (ids as incident-intake destination health takes them) to
enqueue the incident for, in the same transaction. Exit status 1 when the event is unknown or was already
decided (the message says by whom it was decided first).

${STORE_USAGE}
${DECISION_USAGE}
  --deliver-to ID      also enqueue the incident for this destination (repeatable)`,
  options: { ...DECISION_OPTIONS, 'deliver-to': { type: 'string', multiple: true } },
  run: (values, io) =>
    decide(values, io, async (store, tenant, eventId) => {
      const deliverTo = await deliveryTargets(store, tenant, listOption(values, 'deliver-to'));
      const decision = { actor: requiredOption(values, 'actor'), reason: requiredOption(values, 'reason') };
      const result = await promoteEvent(store, tenant, eventId, decision, undefined, { deliverTo });
      const queued = deliverTo.length && result.change !== 'unchanged' ? `; queued for ${deliverTo.map((target) => target.id).join(', ')}` : '';
      return `Promoted ${eventId}: incident ${result.incident.id} ${result.change} (version ${result.incident.version})${queued}.`;
    }),
});

const reject = defineCommand({
  name: 'review reject',
  summary: 'reject a pending or quarantined event',
  usage: `Usage: incident-intake review reject --store URL --event ID --actor WHO --reason TEXT [--tenant T]

Rejects a pending or quarantined event; it stays on record with who rejected it and why. Exit status 1 when
the event is unknown or was already decided.

${STORE_USAGE}
${DECISION_USAGE}`,
  options: DECISION_OPTIONS,
  run: (values, io) =>
    decide(values, io, async (store, tenant, eventId) => {
      await rejectEvent(store, tenant, eventId, { actor: requiredOption(values, 'actor'), reason: requiredOption(values, 'reason') });
      return `Rejected ${eventId}.`;
    }),
});

const ACTIONS: Record<string, CliCommand> = { list, promote, reject };

const USAGE = `Usage: incident-intake review <list|promote|reject> --store URL [options]

  list      events waiting for a decision, newest first
  promote   promote a pending event into an incident (actor and reason required)
  reject    reject a pending or quarantined event (actor and reason required)

Run "incident-intake review <action> --help" for their options.`;

export const command = defineCommandGroup('review', 'list the review queue, promote or reject an event', USAGE, ACTIONS);
