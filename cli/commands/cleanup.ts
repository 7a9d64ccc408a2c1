import { purgeFinishedDeliveries } from '../../core/delivery/retention';
import {
  DEFAULT_REPLAY_KEY_RETENTION_DAYS,
  DEFAULT_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS,
  MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS,
  cleanupRetention,
} from '../../core/retention/cleanup';
import { UsageError, requiredOption, stringOption, type OptionValues } from '../args';
import { EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { createProgress } from '../progress';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';
import { batchSizeOption } from './replay';

const USAGE = `Usage: incident-intake cleanup --store URL --older-than-days N [--replay-keys-older-than-days K] [--deliveries-older-than-days M] [--tenant T]

Removes old events that never became part of an incident (rejected, duplicate, quarantined, filtered) and the
request bodies nothing refers to any more, in short batches, showing counts as it goes. Promoted events,
incidents, their provenance and the audit trail are kept. Replay keys (a digest and a time per request, so a
captured request is still refused once its body is gone) have their own, much longer retention. With
--deliveries-older-than-days, also removes delivered and cancelled deliveries older than M days (dead
letters are kept).

${STORE_USAGE}
  --older-than-days N              keep anything younger than N days
  --replay-keys-older-than-days K  remove replay keys of schemes without a signed timestamp (PagerDuty,
                                   X-Hub-Signature(-256), token, Basic, HMAC without timestamp header) older
                                   than K days; at least N (default ${DEFAULT_REPLAY_KEY_RETENTION_DAYS}, or N if larger)
  --short-lived-replay-keys-older-than-days D
                                   remove short-lived replay keys — of timestamped schemes (Standard Webhooks,
                                   Stripe-style, HMAC with a timestamp header) and delivery ids — older than
                                   D days; at least ${MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS} (default ${DEFAULT_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS})
  --deliveries-older-than-days M   also purge finished deliveries older than M days
  --batch-size N                   rows removed per transaction (default 500)

Exit status: 0 done, 1 the store failed, 2 usage errors.`;

function days(text: string, flag: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`${flag} must be a whole number of days`);
  return Number(text);
}

function optionalDays(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  return text === undefined ? undefined : days(text, `--${name}`);
}

function replayKeyOptions(values: OptionValues, olderThanDays: number) {
  const replayKeyRetentionDays = optionalDays(values, 'replay-keys-older-than-days');
  const shortLivedReplayKeyRetentionDays = optionalDays(values, 'short-lived-replay-keys-older-than-days');
  if (replayKeyRetentionDays !== undefined && replayKeyRetentionDays < olderThanDays) {
    throw new UsageError('--replay-keys-older-than-days must be at least --older-than-days: a request signed without a timestamp can be replayed as long as its secret is live');
  }
  if (shortLivedReplayKeyRetentionDays !== undefined && shortLivedReplayKeyRetentionDays < MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS) {
    throw new UsageError(`--short-lived-replay-keys-older-than-days must be at least ${MIN_SHORT_LIVED_REPLAY_KEY_RETENTION_DAYS} (longer than the largest timestamp tolerance)`);
  }
  return { replayKeyRetentionDays, shortLivedReplayKeyRetentionDays };
}

export const command = defineCommand({
  name: 'cleanup',
  summary: 'remove old events that never became incidents (retention), with progress',
  usage: USAGE,
  options: {
    ...STORE_OPTIONS,
    'older-than-days': { type: 'string' },
    'replay-keys-older-than-days': { type: 'string' },
    'short-lived-replay-keys-older-than-days': { type: 'string' },
    'deliveries-older-than-days': { type: 'string' },
    'batch-size': { type: 'string' },
  },
  async run(values, io) {
    const tenant = tenantOption(values);
    const olderThanDays = days(requiredOption(values, 'older-than-days'), '--older-than-days');
    const keyOptions = replayKeyOptions(values, olderThanDays);
    const deliveryDays = optionalDays(values, 'deliveries-older-than-days');
    const batchSize = batchSizeOption(stringOption(values, 'batch-size'));
    const store = await openStoreFromOptions(values, io.env);
    const progress = createProgress(io.stderr, 'events removed');
    try {
      const result = await cleanupRetention(store, { tenant, olderThanDays, ...keyOptions, batchSize, onProgress: (removed) => progress.update(removed.events) });
      progress.finish();
      io.stdout.write(`Removed ${result.events} event(s), ${result.receipts} request body(ies) and ${result.counters} expired counter window(s) older than ${olderThanDays} day(s) (tenant ${tenant}).\n`);
      io.stdout.write(`Removed ${result.replayKeys} expired replay key(s).\n`);
      if (deliveryDays !== undefined) {
        const purged = await purgeFinishedDeliveries(store, tenant, deliveryDays * 86_400_000);
        io.stdout.write(`Removed ${purged} delivered or cancelled deliveries older than ${deliveryDays} day(s).\n`);
      }
    } finally {
      await store.close();
    }
    return EXIT_OK;
  },
});
