import { replayKeysOf } from '../../signing/replay-key';
import { replayKeyHash } from '../replay-key-hash';
import { toNumber } from '../repositories/row-values';
import type { SqlClient, SqlValue } from '../sql-client';
import { columnTypes, type Migration } from './migration';

const BACKFILL_PAGE = 500;

/**
 * Replay keys in their own compact table, so that retention can remove request bodies without the intake
 * forgetting that it has seen the request (a signature without a timestamp can be replayed for ever).
 * Backfilled from every existing receipt: its replay key as long-lived (the receipts do not say whether the
 * scheme had a timestamp, so it is kept as if not) and, where the sender gave one, its delivery id as short-lived.
 * `short_lived` marks keys needed only for days (timestamped schemes, delivery ids); see ReplayKeyEntry.
 */
export const replayKeys: Migration = {
  version: 5,
  name: 'replay-keys',
  up(dialect) {
    const { blob } = columnTypes(dialect);
    return `
      CREATE TABLE replay_keys (
        key_hash ${blob} PRIMARY KEY,
        tenant TEXT NOT NULL,
        source_id TEXT NOT NULL,
        seen_at BIGINT NOT NULL,
        short_lived SMALLINT NOT NULL,
        http_status SMALLINT NOT NULL
      )${dialect === 'sqlite' ? ' WITHOUT ROWID' : ''};
      CREATE INDEX replay_keys_by_age ON replay_keys (tenant, short_lived, seen_at);
    `;
  },
  async backfill(client) {
    let after = '';
    for (;;) {
      const receipts = await client.all<ReceiptKeys>(
        'SELECT id, tenant, source_id, replay_key, message_id, received_at, http_status FROM receipts WHERE id > ? ORDER BY id LIMIT ?',
        [after, BACKFILL_PAGE],
      );
      if (receipts.length === 0) return;
      await insertKeys(client, receipts);
      after = receipts.at(-1)!.id;
    }
  },
};

interface ReceiptKeys {
  id: string;
  tenant: string;
  source_id: string;
  replay_key: string;
  message_id: string | null;
  received_at: unknown;
  http_status: unknown;
}

async function insertKeys(client: SqlClient, receipts: readonly ReceiptKeys[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const receipt of receipts) {
    replayKeysOf(receipt.replay_key, receipt.message_id).forEach((key, index) => {
      const shortLived = index > 0 ? 1 : 0;
      values.push(replayKeyHash(receipt.tenant, receipt.source_id, key), receipt.tenant, receipt.source_id, toNumber(receipt.received_at), shortLived, toNumber(receipt.http_status));
    });
  }
  const rows = Array.from({ length: values.length / 6 }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
  await client.run(`INSERT INTO replay_keys (key_hash, tenant, source_id, seen_at, short_lived, http_status) VALUES ${rows} ON CONFLICT (key_hash) DO NOTHING`, values);
}
