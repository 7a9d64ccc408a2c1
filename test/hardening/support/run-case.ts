import type { BadRequestCase, CaseAnswer, CaseContext } from '../catalogue/case';
import { jsonOf } from './case-context';
import { driftBetween, driftFlushedAfter, type DriftSummary } from './event-loop-drift';
import type { IntakeHost } from './intake-host';
import { sendWire } from './raw-http';
import { delta, snapshot, type StoreDelta, type StoreSnapshot } from './store-snapshot';

/** Everything observed while one case ran against one host. */
export interface CaseReport {
  caseId: string;
  host: string;
  answer: CaseAnswer;
  rawBody: string;
  closed: boolean;
  elapsedMs: number;
  stored: StoreDelta;
  storeAfter: StoreSnapshot;
  /** The host's event loop while the case ran; undefined if its monitor went silent. */
  drift: DriftSummary | undefined;
  alive: boolean;
}

export async function runCase(host: IntakeHost, testCase: BadRequestCase, context: CaseContext): Promise<CaseReport> {
  let report = await runOnce(host, testCase, context);
  for (let retry = 0; testCase.sameSecond && retry < 3 && !report.withinOneSecond; retry++) report = await runOnce(host, testCase, context);
  const { withinOneSecond: _, ...rest } = report;
  return rest;
}

async function runOnce(host: IntakeHost, testCase: BadRequestCase, context: CaseContext): Promise<CaseReport & { withinOneSecond: boolean }> {
  const request = await testCase.request(context);
  const before = snapshot(host.storePath);
  const started = Date.now();
  const response = await sendWire(host.port, request, (testCase.timeoutMs ?? 30_000) - 2_000);
  const finished = Date.now();
  // Anything the host still does after answering (routing outputs, closing sockets) belongs to the case too.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = snapshot(host.storePath);
  await driftFlushedAfter(host.driftFile, finished + 50, host.pid);
  const json = jsonOf(response.body);
  return {
    caseId: testCase.id,
    host: host.kind,
    answer: { status: response.status, headers: response.headers, json, receiptId: typeof json?.receiptId === 'string' ? json.receiptId : undefined },
    rawBody: response.body.slice(0, 500),
    closed: response.closed,
    elapsedMs: response.elapsedMs,
    stored: delta(before, after),
    storeAfter: after,
    drift: driftBetween(host.driftFile, started, finished + 50, host.pid),
    alive: await host.isAlive(),
    withinOneSecond: Math.floor(started / 1000) === Math.floor(finished / 1000),
  };
}
