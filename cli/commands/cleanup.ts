import { purgeFinishedDeliveries } from '../../core/delivery/retention';
import { cleanupRetention } from '../../core/retention/cleanup';
import { UsageError, requiredOption, stringOption } from '../args';
import { EXIT_OK } from '../command';
import { defineCommand } from '../define-command';
import { createProgress } from '../progress';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions, tenantOption } from '../store-option';
import { batchSizeOption } from './replay';

const USAGE = `Usage: incident-intake cleanup --store URL --older-than-days N [--deliveries-older-than-days M] [--tenant T]

Removes old events that never became part of an incident (rejected, duplicate, quarantined, filtered) and the
request bodies nothing refers to any more, in short batches, showing counts as it goes. Promoted events,
incidents, their provenance and the audit trail are kept. With --deliveries-older-than-days, also removes
delivered and cancelled deliveries older than M days (dead letters are kept).

${STORE_USAGE}
  --older-than-days N              keep anything younger than N days
  --deliveries-older-than-days M   also purge finished deliveries older than M days
  --batch-size N                   events removed per transaction (default 500)

Exit status: 0 done, 1 the store failed, 2 usage errors.`;

function days(text: string, flag: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`${flag} must be a whole number of days`);
  return Number(text);
}

export const command = defineCommand({
  name: 'cleanup',
  summary: 'remove old events that never became incidents (retention), with progress',
  usage: USAGE,
  options: { ...STORE_OPTIONS, 'older-than-days': { type: 'string' }, 'deliveries-older-than-days': { type: 'string' }, 'batch-size': { type: 'string' } },
  async run(values, io) {
    const tenant = tenantOption(values);
    const olderThanDays = days(requiredOption(values, 'older-than-days'), '--older-than-days');
    const deliveriesText = stringOption(values, 'deliveries-older-than-days');
    const deliveryDays = deliveriesText === undefined ? undefined : days(deliveriesText, '--deliveries-older-than-days');
    const batchSize = batchSizeOption(stringOption(values, 'batch-size'));
    const store = await openStoreFromOptions(values, io.env);
    const progress = createProgress(io.stderr, 'events removed');
    try {
      const result = await cleanupRetention(store, { tenant, olderThanDays, batchSize, onProgress: (removed) => progress.update(removed.events) });
      progress.finish();
      io.stdout.write(`Removed ${result.events} event(s), ${result.receipts} request body(ies) and ${result.counters} expired counter window(s) older than ${olderThanDays} day(s) (tenant ${tenant}).\n`);
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
