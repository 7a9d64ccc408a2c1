import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectationFor } from '../catalogue/case';
import { CATALOGUE } from '../catalogue';
import { sourceList } from '../catalogue/sources';
import { assertCase, summarise } from '../support/assert-case';
import { caseContext } from '../support/case-context';
import { runCase, type CaseReport } from '../support/run-case';
import { scanForSecrets } from '../support/secret-scan';
import { startN8nHost } from './n8n-host';

/**
 * The same bad-request catalogue against a real n8n's Incident Intake Trigger. Part of `npm run test:n8n`
 * (beside the n8n e2e suite, sharing its cached n8n and package staging, inside a loopback-only network
 * namespace); `npm run test:hardening:n8n` runs it alone.
 */
const N8N_DIR = process.env.E2E_N8N_DIR!;
const PACKAGE_DIR = process.env.E2E_PACKAGE_DIR!;
const PORT = Number(process.env.HARDENING_N8N_PORT ?? 5790);

let userFolder: string;
let host: Awaited<ReturnType<typeof startN8nHost>>;
const reports: CaseReport[] = [];
let secretHits: number | undefined;

beforeAll(async () => {
  if (!N8N_DIR || !PACKAGE_DIR) throw new Error('run through npm run test:n8n or npm run test:hardening:n8n (scripts/n8n/run-e2e.sh sets E2E_N8N_DIR and E2E_PACKAGE_DIR)');
  userFolder = await mkdtemp(join(tmpdir(), 'hardening-n8n-'));
  host = await startN8nHost({ n8nDir: N8N_DIR, packageDir: PACKAGE_DIR, userFolder, port: PORT, driftFile: join(userFolder, 'drift.log') });
}, 600_000);

afterAll(async () => {
  await host?.stop();
  console.log(`${summarise('n8n', reports)} secretHits=${secretHits ?? 'not scanned'}`);
  if (process.env.E2E_KEEP !== '1' && userFolder) await rm(userFolder, { recursive: true, force: true });
}, 60_000);

describe('bad-request catalogue against a real n8n', () => {
  for (const testCase of CATALOGUE) {
    it(`${testCase.id}: ${testCase.title}`, async () => {
      const report = await runCase(host, testCase, caseContext(host));
      reports.push(report);
      assertCase(report, expectationFor(testCase, 'n8n'), testCase, host.storePath);
    }, testCase.timeoutMs ?? 30_000);
  }

  it('left no form of any source secret in the log, execution data, the store or any answer', () => {
    const haystacks = {
      log: host.log(),
      executions: host.executionData(),
      store: readFileSync(host.storePath),
      ...(existsSync(`${host.storePath}-wal`) ? { wal: readFileSync(`${host.storePath}-wal`) } : {}),
      answers: JSON.stringify(reports.map((report) => [report.answer.headers, report.rawBody])),
    };
    const hits = scanForSecrets(haystacks, Object.fromEntries(sourceList().map((source) => [source.key, source.secret])));
    secretHits = hits.length;
    expect(hits).toEqual([]);
  });
});
