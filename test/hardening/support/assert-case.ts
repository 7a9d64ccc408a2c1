import { expect } from 'vitest';
import type { BadRequestCase, Expectation } from '../catalogue/case';
import type { CaseReport } from './run-case';

/** The longest a host's event loop may be blocked while it handles any request. */
export const MAX_STALL_MS = 100;

/** Checks one case's report against what the documented status table says should happen. */
export function assertCase(report: CaseReport, expected: Expectation, testCase: BadRequestCase, storePath: string): void {
  const seen = { status: report.answer.status, outcome: report.answer.json?.outcome ?? null, reason: report.answer.json?.reason ?? report.rawBody };
  const label = `${report.host} ${report.caseId}: answered ${JSON.stringify(seen)}`;
  expect(report.alive, `${label}: the host died`).toBe(true);
  expect(report.drift, `${label}: the host's drift monitor went silent`).toBeDefined();
  expect(report.drift!.stallMs, `${label}: the host's event loop stalled (${JSON.stringify(report.drift)})`).toBeLessThanOrEqual(MAX_STALL_MS);
  expect([expected.status].flat(), label).toContain(seen.status);
  expect(seen.outcome, label).toBe(expected.outcome);
  expect(String(seen.reason), label).toMatch(expected.reason);
  for (const [name, pattern] of Object.entries(expected.headers ?? {})) expect(report.answer.headers[name]?.[0], `${label}: header ${name}`).toMatch(pattern);
  const { stored } = expected;
  expect(report.stored.receipts, `${label}: receipts written`).toBe(stored.receipts);
  if (stored.events) expect(report.stored.events, `${label}: events written`).toEqual(stored.events);
  expect(report.stored.incidents, `${label}: incidents written`).toBe(stored.incidents ?? 0);
  expect(report.storeAfter.unanswered, `${label}: a half-written receipt`).toBe(0);
  expect(report.storeAfter.orphanEvents, `${label}: events without their receipt`).toBe(0);
  testCase.check?.(report.answer, storePath);
}

/** One line for the closing note. */
export function summarise(host: string, reports: readonly CaseReport[]): string {
  const stallOf = (report: CaseReport) => report.drift?.stallMs ?? Infinity;
  const stalls = reports.filter((report) => stallOf(report) > MAX_STALL_MS).length;
  const deaths = reports.filter((report) => !report.alive).length;
  const worst = [...reports].sort((a, b) => stallOf(b) - stallOf(a))[0];
  const worstDelay = Math.max(0, ...reports.map((report) => report.drift?.delayMs ?? 0));
  const worstGc = Math.max(0, ...reports.map((report) => report.drift?.gcMs ?? 0));
  return `HARDENING catalogue host=${host} cases=${reports.length} stalls(>${MAX_STALL_MS}ms)=${stalls} deaths=${deaths} worstStall=${worst ? stallOf(worst).toFixed(1) : '-'}ms(${worst?.caseId}) worstWallDelay=${worstDelay.toFixed(1)}ms worstGc=${worstGc.toFixed(1)}ms`;
}
