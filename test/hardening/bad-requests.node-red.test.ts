import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectationFor } from './catalogue/case';
import { CATALOGUE } from './catalogue';
import { caseContext } from './support/case-context';
import { assertCase, summarise } from './support/assert-case';
import type { CaseReport } from './support/run-case';
import { runCase } from './support/run-case';
import { startNodeRedHost } from './support/node-red-host';
import { scanForSecrets } from './support/secret-scan';
import { sourceList } from './catalogue/sources';

/**
 * The bad-request catalogue against a real Node-RED child process (the built package, `npm run build` first),
 * every case through the HTTP route a sender would use.
 */
const work = mkdtempSync(join(tmpdir(), 'hardening-node-red-'));
let host: Awaited<ReturnType<typeof startNodeRedHost>>;
const reports: CaseReport[] = [];
let secretHits: number | undefined;
const sourceSecrets = () => Object.fromEntries(sourceList().map((source) => [source.key, source.secret]));

beforeAll(async () => {
  host = await startNodeRedHost(join(work, 'drift.log'));
}, 120_000);

afterAll(async () => {
  await host?.stop();
  console.log(`${summarise('node-red', reports)} secretHits=${secretHits ?? 'not scanned'}`);
  rmSync(work, { recursive: true, force: true });
});

describe('bad-request catalogue against a real Node-RED', () => {
  for (const testCase of CATALOGUE) {
    it(`${testCase.id}: ${testCase.title}`, async () => {
      const report = await runCase(host, testCase, caseContext(host));
      reports.push(report);
      assertCase(report, expectationFor(testCase, 'node-red'), testCase, host.storePath);
    }, testCase.timeoutMs ?? 30_000);
  }

  it('ran at least 60 cases', () => {
    expect(reports.length).toBeGreaterThanOrEqual(60);
  });

  it('left no form of any source secret in the log, the node outputs, the store or any answer', () => {
    const haystacks = {
      log: host.log(),
      store: readFileSync(host.storePath),
      ...(existsSync(`${host.storePath}-wal`) ? { wal: readFileSync(`${host.storePath}-wal`) } : {}),
      answers: JSON.stringify(reports.map((report) => [report.answer.headers, report.rawBody])),
    };
    const hits = scanForSecrets(haystacks, sourceSecrets());
    secretHits = hits.length;
    expect(hits).toEqual([]);
  });
});

