import { DatabaseSync } from 'node:sqlite';
import { NodeOperationError } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store';
import { IncidentIntake } from '../../nodes/IncidentIntake/IncidentIntake.node';
import { executeContext } from './support/fake-context';
import { tempStore } from './support/fixtures';

const node = new IncidentIntake();
let store: Awaited<ReturnType<typeof tempStore>>;

async function run(parameters: Record<string, unknown>) {
  const [items] = await node.execute.call(executeContext({ parameters: { tenant: 'acme', resource: 'audit', operation: 'verifyTrail', ...parameters }, credentials: { incidentIntakeStoreApi: store.credential } }));
  return items!.map((item) => item.json as Record<string, any>);
}

async function seed(tenant: string, count: number): Promise<number[]> {
  const opened = await openSqliteStore(store.path);
  try {
    for (let i = 1; i <= count; i += 1) {
      await opened.transaction((r) => r.audit.append({ tenant, at: 1_700_000_000_000 + i, actor: 'reviewer', action: 'event.promoted', subjectType: 'event', subjectId: `evt_${i}`, details: { n: i } }));
    }
    return (await opened.transaction((r) => r.audit.pageAfter(tenant, 0, 1_000))).map((entry) => entry.seq);
  } finally {
    await opened.close();
  }
}

beforeEach(async () => {
  store = await tempStore();
});
afterEach(async () => store.cleanup());

describe('Incident Intake node: Audit → Verify Trail', () => {
  it('verifies the tenant, or every tenant, checks an expected head, and names an edited row', async () => {
    const seqs = await seed('acme', 3);
    await seed('globex', 2);
    const [acme] = await run({});
    expect(acme).toEqual({ tenant: 'acme', intact: true, entries: 3, head: { seq: seqs[2], hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, broken: null });
    expect((await run({ allTenants: true })).map((item) => [item.tenant, item.intact, item.entries])).toEqual([['acme', true, 3], ['globex', true, 2]]);
    expect(await run({ expectHead: acme!.head.hash.toUpperCase() })).toMatchObject([{ intact: true }]);
    const cut = await run({ expectHead: 'f'.repeat(64) });
    expect(cut).toMatchObject([{ intact: false, broken: { reason: expect.stringContaining('no longer contains the head recorded earlier') } }]);

    const db = new DatabaseSync(store.path);
    db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' WHERE seq = ${seqs[0]}`);
    db.close();
    expect(await run({})).toMatchObject([{ tenant: 'acme', intact: false, entries: 1, broken: { seq: seqs[0], reason: expect.stringContaining('the row was edited') } }]);
  });

  it('refuses a head that is not a hash, or a head with All Tenants, with a clear error', async () => {
    for (const [parameters, message] of [
      [{ expectHead: 'abc' }, /64 hex characters/],
      [{ allTenants: true, expectHead: 'a'.repeat(64) }, /belongs to one tenant's chain/],
    ] as const) {
      const failure = run(parameters);
      await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
      await expect(failure).rejects.toThrow(message);
    }
  });
});
