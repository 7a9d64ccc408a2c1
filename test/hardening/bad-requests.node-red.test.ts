import { mkdtempSync, rmSync } from 'node:fs';
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

/**
 * The bad-request catalogue against a real Node-RED child process (the built package, `npm run build` first),
 * every case through the HTTP route a sender would use.
 */
const work = mkdtempSync(join(tmpdir(), 'hardening-node-red-'));
let host: Awaited<ReturnType<typeof startNodeRedHost>>;
const reports: CaseReport[] = [];

beforeAll(async () => {
  host = await startNodeRedHost(join(work, 'drift.log'));
}, 120_000);

afterAll(async () => {
  await host?.stop();
  console.log(summarise('node-red', reports));
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

  it('ran at least 60 cases and the host never stalled or died', () => {
    expect(reports.length).toBeGreaterThanOrEqual(60);
  });
});

