import { replayInBatches, type ReplaySummary } from '../../core/operations/replay-in-batches';
import type { DeadLetterFilter } from '../../core/store/repositories/delivery-repository';
import { UsageError, listOption, requiredOption, stringOption, type OptionValues } from '../args';
import { EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { createProgress } from '../progress';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, parseTime, tenantOption } from '../store-option';

const USAGE = `Usage: incident-intake replay --store URL --destination ID (--all | --id X ... | --since T [--until T] [--status N] [--error TEXT] [--incident ID]) [--force] [--tenant T]

Schedules dead-lettered deliveries of one destination again, due now, with a fresh retry budget and the same
idempotency key (receivers that processed an earlier attempt recognise it). A running delivery worker (the
Node-RED delivery node, n8n's Delivery Worker Trigger) sends them. Shows progress; prints how many were replayed.
A dead letter whose incident has a newer version delivered or pending (or replayed with it) is skipped as
superseded and listed, so a receiver never gets an older state after a newer one.

${STORE_USAGE}
  --destination ID     the outbox destination id (n8n: the node's Destination ID; Node-RED: node-red-<node id>)
  --all                every dead letter of the destination
  --id X               this delivery (repeatable)
  --since T, --until T dead-lettered in this window: ISO 8601 time, or a duration back from now (30m, 24h, 7d)
  --status N           whose last attempt got HTTP status N
  --error TEXT         whose last error contains TEXT, any case (timeout, connection_refused, http_422)
  --incident ID        of this incident
  --force              replay superseded dead letters too (an older state may then follow a newer one)
  --batch-size N       deliveries per transaction (default 200)

Exit status: 0 done (also when nothing matched), 1 the store failed, 2 usage errors.`;

function selection(values: OptionValues, now: number): { ids?: string[]; filter: DeadLetterFilter } {
  const ids = listOption(values, 'id');
  const since = stringOption(values, 'since');
  const until = stringOption(values, 'until');
  const status = stringOption(values, 'status');
  const incidentId = stringOption(values, 'incident');
  const errorContains = stringOption(values, 'error')?.trim();
  if (errorContains === '') throw new UsageError('--error needs the text the last error contains');
  const filter: DeadLetterFilter = {
    ...(since !== undefined && { since: parseTime(since, '--since', now) }),
    ...(until !== undefined && { until: parseTime(until, '--until', now) }),
    ...(status !== undefined && { lastStatus: httpStatus(status) }),
    ...(incidentId !== undefined && { incidentId }),
    ...(errorContains !== undefined && { errorContains }),
  };
  const filtered = Object.keys(filter).length > 0;
  if (values.all === true && (ids.length > 0 || filtered)) throw new UsageError('--all replays everything: leave out --id and the filters, or --all');
  if (values.all !== true && ids.length === 0 && !filtered) throw new UsageError('choose what to replay: --all, --id, or a filter (--since, --until, --status, --error, --incident)');
  return { ...(ids.length > 0 && { ids }), filter };
}

function httpStatus(text: string): number {
  if (!/^[1-5]\d\d$/.test(text)) throw new UsageError('--status must be an HTTP status code such as 503');
  return Number(text);
}

export const command = defineCommand({
  name: 'replay',
  summary: 'replay dead-lettered deliveries of a destination, with progress',
  usage: USAGE,
  options: { ...STORE_OPTIONS, destination: { type: 'string' }, all: { type: 'boolean' }, id: { type: 'string', multiple: true }, since: { type: 'string' }, until: { type: 'string' }, status: { type: 'string' }, error: { type: 'string' }, incident: { type: 'string' }, force: { type: 'boolean' }, 'batch-size': { type: 'string' } },
  async run(values, io) {
    const destinationId = requiredOption(values, 'destination');
    const tenant = tenantOption(values);
    const chosen = selection(values, Date.now());
    const batchSize = batchSizeOption(stringOption(values, 'batch-size'));
    const store = await openStoreFromOptions(values, io.env);
    const progress = createProgress(io.stderr, 'replaying dead letters');
    let result: ReplaySummary;
    try {
      result = await replayInBatches(store, { tenant, destinationId, ...chosen, force: values.force === true, batchSize, onProgress: (step) => progress.update(step.replayed + step.skipped, step.total) });
    } finally {
      progress.finish();
      await store.close();
    }
    io.stdout.write(summaryText(result, destinationId, tenant));
    return EXIT_OK;
  },
});

/** Skipped dead letters listed one a line, up to this many. */
const LISTED = 20;

function summaryText(result: ReplaySummary, destinationId: string, tenant: string): string {
  if (result.replayed === 0 && result.skipped === 0) return `No dead letters of ${destinationId} (tenant ${tenant}) matched.\n`;
  const lines = [
    result.replayed === 0
      ? `Replayed no dead letters of ${destinationId} (tenant ${tenant}).`
      : `Replayed ${result.replayed} dead letter(s) of ${destinationId} (tenant ${tenant}): due now, sent by the next worker pass.`,
  ];
  if (result.skipped > 0) {
    lines.push(`Skipped ${result.skipped} superseded dead letter(s): a newer version of the incident was delivered, is pending or was replayed instead (--force replays them):`);
    for (const entry of result.skippedDeliveries.slice(0, LISTED)) {
      lines.push(`  ${entry.id}  incident ${entry.incidentId} v${entry.eventVersion}: superseded by v${entry.newerVersion} (${entry.newerState === 'dead_letter' ? 'replayed now' : entry.newerState}, ${entry.newerId})`);
    }
    if (result.skipped > LISTED) lines.push(`  … and ${result.skipped - LISTED} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function batchSizeOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new UsageError('--batch-size must be a whole number from 1');
  return Number(text);
}
