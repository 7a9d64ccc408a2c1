import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { ClusterSender } from './cluster-sender';
import type { ProviderRequest } from './provider-traffic';

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Interleaves several providers' requests, so every source is busy at the same time. */
export function interleave(...streams: ProviderRequest[][]): ProviderRequest[] {
  const longest = Math.max(...streams.map((stream) => stream.length));
  const mixed: ProviderRequest[] = [];
  for (let n = 0; n < longest; n++) for (const stream of streams) if (n < stream.length) mixed.push(stream[n]!);
  return mixed;
}

export interface PromotionRecord {
  /** Answers per event id, from two instances asked at the same moment. */
  answers: Map<string, number[]>;
  /** Events both instances were asked about at once. */
  raced: number;
}

/**
 * Works the shared review queue the way reviewers on different instances would: every pending event is
 * approved through two instances at the same moment; at most one may win. Runs until `isDone()` and the
 * queue is empty.
 */
export async function promoteConcurrently(sender: ClusterSender, storeUrl: string, instances: number, path: string, isDone: () => boolean): Promise<PromotionRecord> {
  const record: PromotionRecord = { answers: new Map(), raced: 0 };
  let turn = 0;
  for (;;) {
    const pending = await pendingEvents(storeUrl);
    if (pending === undefined) {
      await sleep(500);
      continue;
    }
    if (pending.length === 0) {
      if (isDone()) return record;
      await sleep(200);
      continue;
    }
    await inParallel(pending, 8, async (eventId) => {
      const first = turn++ % instances;
      const body = (actor: string) => ({ eventId, actor, reason: 'confirmed by the scale-out test' });
      const answers = await Promise.all([sender.post(path, body('alice'), first), sender.post(path, body('bob'), first + 1)]);
      record.raced++;
      record.answers.set(eventId, [...(record.answers.get(eventId) ?? []), ...answers.map((answer) => answer.status)]);
    });
  }
}

async function pendingEvents(storeUrl: string): Promise<string[] | undefined> {
  const client = new Client({ connectionString: storeUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const rows = await client.query("SELECT id FROM events WHERE tenant = 'acme' AND state = 'pending_review' ORDER BY random() LIMIT 200");
    return rows.rows.map((row) => String(row.id));
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `condition` every `intervalMs` until it holds; fails with `describe()` after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs: number, describe: () => string = () => '', intervalMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs / 1000} s\n${describe()}`);
    await sleep(intervalMs);
  }
}
