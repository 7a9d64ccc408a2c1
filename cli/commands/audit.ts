import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportAuditTrail } from '../../core/audit/export-trail';
import { auditTenants, verifyAuditTrail, type AuditTrailVerification } from '../../core/audit/verify-trail';
import { stringOption, type OptionValues } from '../args';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIO } from '../command';
import { defineCommand } from '../define-command';
import { defineCommandGroup } from '../command-group';
import { STORE_OPTIONS, STORE_USAGE, openStoreFromOptions } from '../store-option';
import type { Store } from '../../core/store/store';

async function withStore(values: OptionValues, io: CliIO, work: (store: Store) => Promise<number>): Promise<number> {
  const store = await openStoreFromOptions(values, io.env);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The tenants a command covers: the one --tenant names, or every tenant with a trail. */
async function tenantsToCover(store: Store, values: OptionValues): Promise<string[]> {
  const tenant = stringOption(values, 'tenant');
  return tenant === undefined ? auditTenants(store) : [tenant];
}

function describe(result: AuditTrailVerification): string {
  const head = result.head ? `, head seq ${result.head.seq} hash ${result.head.hash}` : '';
  if (result.broken) return `tenant ${result.tenant}: BROKEN at seq ${result.broken.seq}: ${result.broken.reason} (${result.entries} entries read${head})`;
  return `tenant ${result.tenant}: intact, ${result.entries} entries${head}`;
}

/** Writes a line, waiting when the stream asks the writer to. */
async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

const verify = defineCommand({
  name: 'audit verify',
  summary: "check each tenant's audit hash chain and name the first broken link",
  usage: `Usage: incident-intake audit verify --store URL [--tenant T] [--head HASH] [--json]

Walks the audit trail's hash chain (every tenant's, or the one --tenant names) and prints, per tenant, either
"intact" with the head (the last entry's seq and hash) or the first broken link: an edited row fails its own
hash, a deleted or inserted row fails the next entry's link. Keep the printed head: a later run with
--head HASH also catches entries removed from the end of the trail.

${STORE_USAGE.replace('(default: default)', '(default: every tenant with a trail)')}
  --head HASH          a head hash recorded earlier; the trail must still contain it (needs --tenant)
  --json               print one JSON object per tenant instead of a line

Exit status: 0 every chain intact, 1 a chain is broken or the store failed, 2 usage errors.`,
  options: { ...STORE_OPTIONS, head: { type: 'string' }, json: { type: 'boolean' } },
  run: (values, io) =>
    withStore(values, io, async (store) => {
      const expectHead = stringOption(values, 'head');
      const tenants = await tenantsToCover(store, values);
      if (expectHead !== undefined && stringOption(values, 'tenant') === undefined) {
        io.stderr.write('incident-intake audit verify: --head needs --tenant (a head belongs to one tenant\'s chain)\n');
        return 2;
      }
      if (tenants.length === 0) io.stdout.write('No audit trail in this store yet.\n');
      let status = EXIT_OK;
      for (const tenant of tenants) {
        const result = await verifyAuditTrail(store, tenant, { expectHead });
        if (result.broken) status = EXIT_FAILURE;
        const text = values.json === true ? JSON.stringify(result) : describe(result);
        (result.broken ? io.stderr : io.stdout).write(`${text}\n`);
      }
      return status;
    }),
});

const exportTrail = defineCommand({
  name: 'audit export',
  summary: 'write the audit trail as JSON Lines with the chain hashes, for an auditor',
  usage: `Usage: incident-intake audit export --store URL [--tenant T] [--out FILE]

Writes the audit trail (every tenant's, or the one --tenant names), oldest entry first, one JSON object a
line: seq, tenant, at (ISO 8601) and atMs, actor, action, subjectType, subjectId, details, prevHash, hash. An
auditor can recompute each hash from the line before it. Secrets are never part of the trail.

${STORE_USAGE.replace('(default: default)', '(default: every tenant with a trail)')}
  --out FILE           write to FILE instead of standard output

Exit status: 0 written, 1 the store or the file failed, 2 usage errors.`,
  options: { ...STORE_OPTIONS, out: { type: 'string' } },
  run: (values, io) =>
    withStore(values, io, async (store) => {
      const outPath = stringOption(values, 'out');
      const tenants = await tenantsToCover(store, values);
      if (outPath === undefined) {
        for (const tenant of tenants) await exportAuditTrail(store, tenant, (line) => writeLine(io.stdout, line));
        return EXIT_OK;
      }
      const file = createWriteStream(outPath, { flags: 'w' });
      const failed = new Promise<never>((_, reject) => file.once('error', reject));
      let total = 0;
      const written = (async () => {
        for (const tenant of tenants) total += await exportAuditTrail(store, tenant, (line) => writeLine(file, line));
        await new Promise<void>((resolve) => file.end(resolve));
      })();
      await Promise.race([written, failed]);
      io.stderr.write(`Wrote ${total} audit entries to ${outPath}.\n`);
      return EXIT_OK;
    }),
});

const ACTIONS: Record<string, CliCommand> = { verify, export: exportTrail };

const USAGE = `Usage: incident-intake audit <verify|export> --store URL [options]

  verify    check each tenant's hash chain and name the first broken link
  export    write the trail as JSON Lines with the chain hashes

Run "incident-intake audit <action> --help" for their options.`;

export const command = defineCommandGroup('audit', 'verify or export the hash-chained audit trail', USAGE, ACTIONS);
