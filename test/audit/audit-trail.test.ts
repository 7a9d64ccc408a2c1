import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAuditTrail, type ExportedAuditEntry } from '../../core/audit/export-trail';
import { auditTenants, verifyAuditTrail } from '../../core/audit/verify-trail';
import { auditEntryHash } from '../../core/store/repositories/audit-repository';
import { openPostgresStore, openSqliteStore, type Store } from '../../core/store';
import { buildCli, type BuiltCli } from '../cli/build-cli';
import { runCli } from '../cli/run-cli';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/** A store plus raw SQL "behind its back", as a database superuser would have it. */
interface Subject {
  store: Store;
  tamper(sql: string): Promise<void>;
  dropGuards(): Promise<void>;
}

async function seed(store: Store, tenant: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await store.transaction((r) =>
      r.audit.append({ tenant, at: 1_700_000_000_000 + i, actor: `reviewer-${i % 3}`, action: i % 2 ? 'promoted' : 'rejected', subjectType: 'event', subjectId: `evt_${i}`, details: { reason: `because ${i}`, n: i } }),
    );
  }
}

async function seqsOf(store: Store, tenant: string): Promise<number[]> {
  return (await store.transaction((r) => r.audit.pageAfter(tenant, 0, 1_000))).map((entry) => entry.seq);
}

function auditTrailSuite(engine: string, open: () => Promise<Subject>) {
  describe(`audit trail verification (${engine})`, () => {
    it('reports an intact chain per tenant with its head', async () => {
      const { store } = await open();
      await seed(store, 'acme', 7);
      await seed(store, 'globex', 3);
      expect(await auditTenants(store)).toEqual(['acme', 'globex']);
      const acme = await verifyAuditTrail(store, 'acme', { pageSize: 3 });
      expect(acme.broken).toBeUndefined();
      expect(acme.entries).toBe(7);
      const seqs = await seqsOf(store, 'acme');
      expect(acme.head?.seq).toBe(seqs.at(-1));
      await store.close();
    });

    it('names an edited row', async () => {
      const subject = await open();
      await seed(subject.store, 'acme', 6);
      await seed(subject.store, 'globex', 2);
      const seqs = await seqsOf(subject.store, 'acme');
      await subject.dropGuards();
      await subject.tamper(`UPDATE audit SET actor = 'mallory' WHERE seq = ${seqs[3]}`);
      const result = await verifyAuditTrail(subject.store, 'acme', { pageSize: 2 });
      expect(result.broken?.seq).toBe(seqs[3]);
      expect(result.broken?.reason).toMatch(/row was edited/);
      expect((await verifyAuditTrail(subject.store, 'globex')).broken).toBeUndefined();
      await subject.store.close();
    });

    it('names the entry after a deleted row, and a deleted first row', async () => {
      const subject = await open();
      await seed(subject.store, 'acme', 6);
      const seqs = await seqsOf(subject.store, 'acme');
      await subject.dropGuards();
      await subject.tamper(`DELETE FROM audit WHERE seq = ${seqs[2]}`);
      const middle = await verifyAuditTrail(subject.store, 'acme');
      expect(middle.broken?.seq).toBe(seqs[3]);
      expect(middle.broken?.reason).toMatch(/deleted or inserted/);
      await subject.tamper(`DELETE FROM audit WHERE seq = ${seqs[0]}`);
      const first = await verifyAuditTrail(subject.store, 'acme');
      expect(first.broken?.seq).toBe(seqs[1]);
      expect(first.broken?.reason).toMatch(/genesis/);
      await subject.store.close();
    });

    it('catches entries cut off the end only against a head recorded earlier', async () => {
      const subject = await open();
      await seed(subject.store, 'acme', 5);
      const { head } = await verifyAuditTrail(subject.store, 'acme');
      await subject.dropGuards();
      await subject.tamper(`DELETE FROM audit WHERE seq = ${head!.seq}`);
      expect((await verifyAuditTrail(subject.store, 'acme')).broken).toBeUndefined();
      const checked = await verifyAuditTrail(subject.store, 'acme', { expectHead: head!.hash });
      expect(checked.broken?.reason).toMatch(/no longer contains the head/);
      await subject.store.close();
    });

    it('exports JSON Lines from which every hash can be recomputed', async () => {
      const { store } = await open();
      await seed(store, 'acme', 4);
      const lines: string[] = [];
      expect(await exportAuditTrail(store, 'acme', (line) => void lines.push(line), 3)).toBe(4);
      const entries = lines.map((line) => JSON.parse(line) as ExportedAuditEntry);
      let prev = '0'.repeat(64);
      for (const entry of entries) {
        expect(entry.prevHash).toBe(prev);
        expect(auditEntryHash(prev, { ...entry, at: entry.atMs }, JSON.stringify(entry.details))).toBe(entry.hash);
        expect(entry.at).toBe(new Date(entry.atMs).toISOString());
        prev = entry.hash;
      }
      await store.close();
    });
  });
}

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function sqliteSubject(): Promise<Subject & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'audit-trail-'));
  dirs.push(dir);
  const path = join(dir, 'intake.sqlite');
  const store = await openSqliteStore(path);
  const raw = async (sql: string) => {
    const db = new DatabaseSync(path);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };
  return { store, path, tamper: raw, dropGuards: () => raw('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;') };
}

auditTrailSuite('SQLite', sqliteSubject);

const support = postgresSupport();
describe.skipIf(!support.binaries)('on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await PostgresCluster.start(support.binaries!);
  });
  afterAll(async () => cluster?.destroy());
  auditTrailSuite('PostgreSQL', async () => {
    const url = await cluster.createDatabase();
    const database = url.slice(url.lastIndexOf('/') + 1).split('?')[0]!;
    const store = await openPostgresStore(url);
    return { store, tamper: (sql) => cluster.admin(sql, database), dropGuards: () => cluster.admin('DROP TRIGGER audit_no_edit ON audit', database) };
  });
});

describe('incident-intake audit', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli();
  }, 120_000);
  afterAll(async () => cli?.cleanup());

  it('verify exits 0 on intact chains, 1 naming the broken link, and export writes every entry', async () => {
    const subject = await sqliteSubject();
    await seed(subject.store, 'acme', 4);
    await seed(subject.store, 'globex', 2);
    const seqs = await seqsOf(subject.store, 'acme');
    await subject.store.close();

    const intact = await runCli(cli, ['audit', 'verify', '--store', subject.path]);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/tenant acme: intact, 4 entries, head seq \d+ hash [0-9a-f]{64}/);
    expect(intact.stdout).toMatch(/tenant globex: intact, 2 entries/);

    const out = join(dirs.at(-1)!, 'trail.jsonl');
    const exported = await runCli(cli, ['audit', 'export', '--store', subject.path, '--tenant', 'acme', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('Wrote 4 audit entries');
    expect((await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line).seq)).toEqual(seqs);

    await subject.dropGuards();
    await subject.tamper(`UPDATE audit SET details = '{"reason":"nothing to see"}' WHERE seq = ${seqs[1]}`);
    const broken = await runCli(cli, ['audit', 'verify', '--store', subject.path]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`tenant acme: BROKEN at seq ${seqs[1]}: its fields do not match its hash: the row was edited`);
    expect(broken.stdout).toMatch(/tenant globex: intact/);

    const usage = await runCli(cli, ['audit', 'verify', '--store', subject.path, '--head', 'abc']);
    expect(usage.code).toBe(2);
  }, 60_000);
});
